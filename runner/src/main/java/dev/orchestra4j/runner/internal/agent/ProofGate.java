package dev.orchestra4j.runner.internal.agent;

import dev.orchestra4j.runner.RunnerConfig;
import dev.orchestra4j.runner.internal.Shell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The proof-of-work gate (research §1.9 point 4): runs every configured command in the workspace ({@code sh -lc}, all
 * must exit 0) and checks every required file (present, non-empty), and returns the evidence — exit codes, output
 * tails, file digests and the HEAD commit when the workspace is a git repository — as a JSON-ready map.
 */
final class ProofGate {

    private final Shell shell;
    private final Clock clock;

    ProofGate(Shell shell, Clock clock) {
        this.shell = shell;
        this.clock = clock;
    }

    Map<String, Object> check(Path workspace, String targetState, RunnerConfig.ProofOfWork proof, Runnable heartbeat) {
        boolean passed = true;
        List<Map<String, Object>> commands = new ArrayList<>();
        for (String command : proof.commands()) {
            Shell.Result result = shell.run(command, workspace, proof.timeout(), heartbeat);
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("command", command);
            c.put("exit_code", result.exitCode());
            c.put("timed_out", result.timedOut());
            c.put("duration_ms", result.duration().toMillis());
            c.put("output_tail", result.output());
            commands.add(c);
            passed &= result.succeeded();
        }
        List<Map<String, Object>> files = new ArrayList<>();
        for (String name : proof.requiredFiles()) {
            Path file = workspace.resolve(name).normalize();
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("path", name);
            boolean ok = file.startsWith(workspace) && Files.isRegularFile(file);
            long size = 0;
            if (ok) {
                try {
                    byte[] bytes = Files.readAllBytes(file);
                    size = bytes.length;
                    f.put("sha256", sha256(bytes));
                } catch (IOException e) {
                    ok = false;
                }
            }
            f.put("present", ok && size > 0);
            f.put("bytes", size);
            files.add(f);
            passed &= ok && size > 0;
        }
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("at", clock.instant().toString());
        evidence.put("target_state", targetState);
        evidence.put("passed", passed);
        evidence.put("commands", commands);
        evidence.put("required_files", files);
        evidence.put("head", head(workspace));
        return evidence;
    }

    private String head(Path workspace) {
        if (!Files.exists(workspace.resolve(".git"))) {
            return "";
        }
        Shell.Result result = shell.run("git rev-parse --short HEAD", workspace, java.time.Duration.ofSeconds(10));
        return result.succeeded() ? result.output().strip() : "";
    }

    /** The evidence as the Markdown comment attached to the issue. */
    @SuppressWarnings("unchecked")
    static String comment(Map<String, Object> evidence) {
        boolean passed = Boolean.TRUE.equals(evidence.get("passed"));
        StringBuilder b = new StringBuilder();
        b.append("## Proof of work: ").append(passed ? "passed" : "failed").append("\n\n");
        b.append("- target state: ").append(evidence.get("target_state")).append('\n');
        b.append("- at: ").append(evidence.get("at")).append('\n');
        if (!String.valueOf(evidence.get("head")).isEmpty()) {
            b.append("- HEAD: ").append(evidence.get("head")).append('\n');
        }
        for (Map<String, Object> c : (List<Map<String, Object>>) evidence.get("commands")) {
            b.append("\n### `").append(c.get("command")).append("` → exit ").append(c.get("exit_code"));
            if (Boolean.TRUE.equals(c.get("timed_out"))) {
                b.append(" (timed out)");
            }
            b.append("\n\n```\n")
                    .append(String.valueOf(c.get("output_tail")).strip())
                    .append("\n```\n");
        }
        for (Map<String, Object> f : (List<Map<String, Object>>) evidence.get("required_files")) {
            b.append("\n- file `").append(f.get("path")).append("`: ");
            b.append(Boolean.TRUE.equals(f.get("present")) ? "present, sha256 " + f.get("sha256") : "MISSING or empty");
        }
        return b.append('\n').toString();
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

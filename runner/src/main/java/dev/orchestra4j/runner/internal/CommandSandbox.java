package dev.orchestra4j.runner.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where an agent's {@code run_command} runs ({@code agent.command_sandbox}).
 *
 * <p>{@code namespace} (the default): a Linux user, mount and PID namespace made with util-linux {@code unshare} (no
 * root needed where unprivileged user namespaces are allowed). Inside, a fresh tmpfs becomes the root
 * ({@code pivot_root}, the old root is detached): it holds read-only binds of {@code /usr}, {@code /bin}, {@code
 * /sbin}, {@code /lib*} and a short list of {@code /etc} entries (users, DNS, TLS roots, dynamic linker, Java
 * settings), the devices {@code null}, {@code zero}, {@code full}, {@code random} and {@code urandom}, a private
 * {@code /proc} and {@code /tmp}, and the workspace, read-write, at its own path. Nothing else of the host's file
 * system exists there: not the workspace root or the other workspaces, not {@code $HOME}, not the runner's state.
 * The command then runs with {@code no_new_privs} and every capability dropped ({@code setpriv}), so it cannot mount,
 * remount the read-only binds writable or {@code chroot}; when it ends, every process it started is killed with the
 * PID namespace. Its environment is a short allowlist ({@code PATH}, {@code HOME} = the workspace, {@code TMPDIR},
 * {@code LANG}, {@code TERM}), never the tracker's secrets. It does not limit network access, CPU or memory (only the
 * timeout), reading the system directories above, or kernel exploits.
 *
 * <p>{@code none}: {@code sh -lc} in the workspace with the same environment allowlist and nothing else; a command can
 * reach any path the runner's user can.
 */
public final class CommandSandbox {

    /** The sandbox's {@code PATH}. */
    static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /** Builds the new root, pivots into it and runs the command: {@code $1} workspace, {@code $2} mount point, {@code $3} command. */
    static final String SETUP = """
            set -eu
            PATH=/usr/sbin:/usr/bin:/sbin:/bin
            ws=$1; new=$2; cmd=$3
            ro() {
              if [ -d "$1" ]; then mkdir -p "$2"; else : > "$2"; fi
              mount --rbind "$1" "$2"
              mount -o remount,bind,ro "$2"
            }
            mount -t tmpfs -o mode=0755,size=16m orchestra4j-sandbox "$new"
            for d in /usr /bin /sbin /lib /lib32 /lib64 /libx32; do
              if [ -L "$d" ]; then ln -s "$(readlink "$d")" "$new$d"; elif [ -d "$d" ]; then ro "$d" "$new$d"; fi
            done
            mkdir -p "$new/etc"
            for e in /etc/passwd /etc/group /etc/hosts /etc/resolv.conf /etc/nsswitch.conf /etc/host.conf \\
                     /etc/ld.so.cache /etc/ld.so.conf /etc/ld.so.conf.d /etc/localtime /etc/alternatives \\
                     /etc/ssl /etc/ca-certificates /etc/profile /etc/java*; do
              if [ -e "$e" ]; then ro "$e" "$new$e"; fi
            done
            mkdir -p "$new/dev" "$new/proc" "$new/tmp" "$new/.old"
            for n in null zero full random urandom; do : > "$new/dev/$n"; mount --bind "/dev/$n" "$new/dev/$n"; done
            ln -s /proc/self/fd "$new/dev/fd"
            ln -s /proc/self/fd/0 "$new/dev/stdin"
            ln -s /proc/self/fd/1 "$new/dev/stdout"
            ln -s /proc/self/fd/2 "$new/dev/stderr"
            mount -t proc proc "$new/proc"
            mount -t tmpfs -o mode=1777,size=256m tmp "$new/tmp"
            mkdir -p "$new$ws"
            mount --bind "$ws" "$new$ws"
            cd "$new"
            pivot_root . .old
            umount -l /.old
            rmdir /.old
            mount -o remount,ro /
            cd "$ws"
            unset OLDPWD
            exec setpriv --no-new-privs --bounding-set=-all --inh-caps=-all /bin/sh -lc "$cmd"
            """;

    private final boolean namespace;
    private final Path mountPoint;

    private CommandSandbox(boolean namespace, Path mountPoint) {
        this.namespace = namespace;
        this.mountPoint = mountPoint;
    }

    /**
     * The namespace sandbox, using {@code stateDirectory/sandbox} as its (always empty on the host) mount point. Throws
     * {@link IllegalStateException} naming the cause and the opt-out when this machine cannot make one.
     */
    public static CommandSandbox namespace(Path stateDirectory, Shell shell) {
        Path mountPoint = stateDirectory.resolve("sandbox");
        Path probe = stateDirectory.resolve("sandbox-probe");
        try {
            Files.createDirectories(mountPoint);
            Files.createDirectories(probe);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the command sandbox's mount point '" + mountPoint + "'", e);
        }
        CommandSandbox sandbox = new CommandSandbox(true, mountPoint.toAbsolutePath());
        Shell.Result result = sandbox.run(shell, "true", probe, Duration.ofSeconds(30), () -> {});
        if (!result.succeeded()) {
            throw new IllegalStateException("agent.command_sandbox 'namespace' is not available on this machine (it"
                    + " needs Linux user namespaces and util-linux unshare, pivot_root and setpriv): "
                    + Workspaces.describe(result)
                    + ". Set agent.command_sandbox: none to run agent commands unconfined.");
        }
        return sandbox;
    }

    /** No confinement beyond the working directory and the environment allowlist. */
    public static CommandSandbox none() {
        return new CommandSandbox(false, Path.of(""));
    }

    /** Whether commands run in the namespace sandbox. */
    public boolean confines() {
        return namespace;
    }

    /** Runs {@code command} with {@code sh -lc} in {@code workspace} (an absolute, real path), confined. */
    public Shell.Result run(Shell shell, String command, Path workspace, Duration timeout, Runnable heartbeat) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(
                "PATH",
                namespace ? PATH : Optional.ofNullable(System.getenv("PATH")).orElse(PATH));
        env.put("HOME", workspace.toString());
        env.put("TMPDIR", namespace ? "/tmp" : System.getProperty("java.io.tmpdir"));
        env.put("LANG", Optional.ofNullable(System.getenv("LANG")).orElse("C.UTF-8"));
        env.put("TERM", "dumb");
        List<String> argv = namespace
                ? List.of(
                        "unshare",
                        "--user",
                        "--map-root-user",
                        "--mount",
                        "--pid",
                        "--fork",
                        "--kill-child",
                        "--",
                        "/bin/sh",
                        "-c",
                        SETUP,
                        "orchestra4j-sandbox",
                        workspace.toString(),
                        mountPoint.toString(),
                        command)
                : List.of("sh", "-lc", command);
        return shell.exec(argv, workspace, env, timeout, heartbeat);
    }
}

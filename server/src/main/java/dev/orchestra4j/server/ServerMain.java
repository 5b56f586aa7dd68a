package dev.orchestra4j.server;

import dev.orchestra4j.server.internal.Cli;
import java.io.PrintStream;
import java.util.Map;

/**
 * The runnable jar: {@code java -jar orchestra4j-server.jar [--port 8000] …}. Starts on embedded defaults (the offline
 * scripted roles, the file store under {@code ./data}, the demo topologies) and prints {@code Orchestra4j server
 * listening on <url>}. {@code --help} lists every flag and environment variable. Ctrl-C shuts down gracefully.
 */
public final class ServerMain {

    private ServerMain() {}

    public static void main(String[] args) {
        int code = run(args, System.getenv(), System.out, System.err);
        if (code != 0) {
            System.exit(code);
        }
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        Cli cli;
        try {
            cli = Cli.parse(args, env);
        } catch (IllegalArgumentException e) {
            err.println("orchestra4j-server: " + e.getMessage());
            return 2;
        }
        if (cli.help()) {
            out.print(Cli.usage());
            return 0;
        }
        OrchestraServer server;
        try {
            server = cli.builder().start();
        } catch (Exception e) {
            err.println("orchestra4j-server: cannot start: " + e.getMessage());
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "orchestra4j-shutdown"));
        out.println("Orchestra4j server listening on " + server.url());
        out.println("  console: " + server.url() + "/console   storage: " + cli.storeDescription());
        out.flush();
        return 0;
    }
}

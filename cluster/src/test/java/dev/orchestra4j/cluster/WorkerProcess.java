package dev.orchestra4j.cluster;

import java.util.concurrent.CountDownLatch;
import javax.sql.DataSource;

/**
 * A worker JVM for the cluster tests: {@code WorkerProcess <jdbcUrl> <prefix> <workerId> <heartbeatMs>}. It prints {@code READY}
 * once it is a worker, one {@code EVENT <type> <sessionId> …} line per cluster event, and drains on SIGTERM.
 */
public final class WorkerProcess {

    private WorkerProcess() {}

    public static void main(String[] args) throws InterruptedException {
        String url = args[0];
        String prefix = args[1];
        String workerId = args[2];
        DataSource ds = TestCluster.pool(url, prefix + workerId);
        DataSource calls = TestCluster.pool(url, prefix + workerId + "-calls", 2, java.time.Duration.ofSeconds(10));
        OrchestraCluster cluster = TestCluster.cluster(ds, calls, prefix, workerId)
                .heartbeat(java.time.Duration.ofMillis(Long.parseLong(args[3])))
                .listener(WorkerProcess::print)
                .build();
        CountDownLatch forever = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            cluster.close();
            System.out.println("DRAINED");
            System.out.flush();
        }));
        cluster.start();
        System.out.println("READY " + workerId);
        System.out.flush();
        forever.await();
    }

    private static void print(ClusterEvent event) {
        String line =
                switch (event) {
                    case ClusterEvent.LegStarted e -> "EVENT LegStarted " + e.sessionId() + " " + e.reason();
                    case ClusterEvent.LegReleased e -> "EVENT LegReleased " + e.sessionId() + " " + e.status();
                    case ClusterEvent.SessionRecovered e ->
                        "EVENT SessionRecovered " + e.sessionId() + " " + e.deadWorker();
                    case ClusterEvent.OwnershipLost e -> "EVENT OwnershipLost " + e.sessionId();
                    case ClusterEvent.InboxApplied e -> "EVENT InboxApplied " + e.sessionId() + " " + e.kind();
                };
        System.out.println(line);
        System.out.flush();
    }
}

package dev.orchestra4j.core.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A caller finding the lease held with no leg running waits for a turn that ends when that changes, never spins. */
final class LeaseTest {

    @Test
    void aTurnStaysOpenWhileTheLeaseIsHeldWithoutALeg_andEndsWhenALegIsPublished() {
        Lease lease = new Lease();
        assertThat(lease.turn()).isDone(); // free: nothing to wait for
        assertThat(lease.tryTake()).isTrue();
        CompletableFuture<Void> starting = lease.turn();
        assertThat(lease.tryTake()).isFalse();
        assertThat(starting).isNotDone(); // e.g. a recoverSession watching another owner's lease: callers wait
        lease.moved();
        assertThat(starting).isDone();
    }

    @Test
    void anEndingLegOpensATurnThatEndsWithTheNextLegOrTheRelease() {
        Lease lease = new Lease();
        lease.tryTake();
        lease.moved();
        lease.ending();
        CompletableFuture<Void> ending = lease.turn();
        assertThat(ending).isNotDone();
        lease.moved(); // answers that reached the ending leg go on in a next one
        assertThat(ending).isDone();
        lease.ending();
        CompletableFuture<Void> last = lease.turn();
        lease.release();
        assertThat(last).isDone();
    }

    @Test
    void aReleaseEndsTheTurn_andTheNextHolderOpensItsOwn() {
        Lease lease = new Lease();
        lease.tryTake();
        lease.release();
        assertThat(lease.tryTake()).isTrue();
        CompletableFuture<Void> next = lease.turn();
        assertThat(next).isNotDone();
        lease.release();
        assertThat(next).isDone();
    }
}

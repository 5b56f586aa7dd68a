package dev.orchestra4j.core.internal.engine;

/**
 * A step's failure read back from the journal ({@link OutcomePart}): not the exception the agent threw, which is gone,
 * but what the machine made of it — {@link Stepping#describe} of it, which it gives back verbatim. No stack trace: it
 * was never thrown here.
 */
final class RecordedFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String described;

    RecordedFailure(String described) {
        super(described, null, false, false);
        this.described = described;
    }

    /** The failure as {@link Stepping#describe} named it when the step ran. */
    String described() {
        return described;
    }
}

package dev.orchestra4j.core.user;

import static dev.orchestra4j.core.user.Questions.errorDecision;
import static dev.orchestra4j.core.user.Questions.question;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A tiny program for {@link TerminalUserChannelTmuxTest}: asks two questions at once on the real terminal and prints
 * the answers it got, in question order.
 */
final class TerminalChannelProgram {

    private TerminalChannelProgram() {}

    public static void main(String[] args) throws Exception {
        try (TerminalUserChannel channel = new TerminalUserChannel()) {
            CompletableFuture<String> topic = channel.ask(
                            question("q1", "Researcher", "Which topic should I research?"))
                    .toCompletableFuture();
            CompletableFuture<String> decision = channel.ask(errorDecision("q2", "Writer", "The model timed out."))
                    .toCompletableFuture();
            System.out.println("answer 1: " + topic.get(2, TimeUnit.MINUTES));
            System.out.println("answer 2: " + decision.get(2, TimeUnit.MINUTES));
        }
    }
}

package dev.orchestra4j.server;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/** A real headless Chromium for the console tests: Debian's chromium and chromium-driver, which .ci/run installs. */
final class Chromium {

    private static final Path BINARY = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private Chromium() {}

    /**
     * Skips the calling test with a loud message when Chromium or chromedriver is missing, or fails it under {@code
     * CI=true}; {@code test} names it in the message.
     */
    static void requireInstalled(String test) {
        if (Files.isExecutable(BINARY) && Files.isExecutable(DRIVER)) {
            return;
        }
        String message = "*** Chromium (" + BINARY + ") or chromedriver (" + DRIVER + ") is missing: install"
                + " Debian's chromium and chromium-driver; " + test + " is ";
        if ("true".equals(System.getenv("CI"))) {
            fail(message + "FAILING because CI=true ***");
        }
        System.err.println(message + "SKIPPED ***");
        Assumptions.abort(message + "skipped");
    }

    /** A headless browser with its own profile under {@code profile}; quit it when done. */
    static WebDriver open(Path profile) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BINARY.toFile());
        options.addArguments(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--window-size=1400,1000",
                "--user-data-dir=" + profile.toAbsolutePath());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }

    /** Saves what {@code browser} shows as {@code target/<name>}. */
    static void screenshot(WebDriver browser, String name) throws IOException {
        Path out = Path.of("target", name);
        Files.createDirectories(out.getParent());
        Files.write(out, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }
}

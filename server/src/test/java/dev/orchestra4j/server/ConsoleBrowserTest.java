package dev.orchestra4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web console in a real headless Chromium (Debian's chromium and chromium-driver): start a session that asks a
 * question, answer it in the browser, see it complete; follow a run-graph workflow. Screenshots go to {@code target/}.
 */
final class ConsoleBrowserTest {

    private static final String KEY = "console-key";

    @TempDir
    Path profile;

    private OrchestraServer server;
    private WebDriver browser;

    @BeforeEach
    void open() {
        Chromium.requireInstalled("the console browser test");
        server = TestServers.start(b -> b.apiKey(KEY));
        browser = Chromium.open(profile);
    }

    @AfterEach
    void close() {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.close();
        }
    }

    private WebDriverWait waiting() {
        return new WebDriverWait(browser, Duration.ofSeconds(30));
    }

    private void screenshot(String name) throws Exception {
        Chromium.screenshot(browser, name);
    }

    /** Types the API key into the console's key field, as a user would, then reloads with it. */
    private void signIn() {
        browser.get(server.url() + "/console");
        WebElement key = waiting().until(ExpectedConditions.elementToBeClickable(By.id("api-key")));
        key.sendKeys(KEY);
        ((org.openqa.selenium.JavascriptExecutor) browser)
                .executeScript("arguments[0].dispatchEvent(new Event('change'))", key);
        waiting()
                .until(d -> KEY.equals(((org.openqa.selenium.JavascriptExecutor) d)
                        .executeScript("return sessionStorage.getItem('o4j.key')")));
        browser.navigate().refresh();
    }

    @Test
    void session_askedQuestion_answeredInTheBrowser_completes() throws Exception {
        signIn();
        waiting().until(ExpectedConditions.numberOfElementsToBeMoreThan(By.cssSelector("#start-topology option"), 0));
        new Select(browser.findElement(By.id("start-topology"))).selectByValue("interview");
        browser.findElement(By.id("start-task")).sendKeys("a report from the browser");
        browser.findElement(By.id("start-button")).click();

        WebElement question;
        try {
            question = waiting()
                    .until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".question .question-text")));
        } catch (RuntimeException e) {
            screenshot("console-failure.png");
            System.err.println(
                    "PAGE: " + browser.findElement(By.tagName("body")).getText());
            throw e;
        }
        assertThat(question.getText()).contains("What should the report be about?");
        waiting().until(ExpectedConditions.textToBe(By.id("session-status"), "WAITING_FOR_USER"));
        waiting()
                .until(ExpectedConditions.elementToBeClickable(By.cssSelector(".answer-input")))
                .sendKeys("penguins");
        browser.findElement(By.cssSelector(".answer-button")).click();

        waiting().until(ExpectedConditions.textToBe(By.id("session-status"), "COMPLETED"));
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("final-response"), "Noted: penguins"));
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#live-diagram svg")));
        try {
            waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#run-diagram svg")));
        } catch (RuntimeException e) {
            System.err.println(
                    "RUN: " + browser.findElement(By.id("run-diagram")).getText());
            throw e;
        }
        waiting().until(ExpectedConditions.numberOfElementsToBeMoreThan(By.cssSelector("#trace tbody tr"), 0));
        assertThat(browser.findElement(By.id("live")).getText()).isEqualTo("live");
        screenshot("console-session.png");

        browser.get(server.url() + "/console#/");
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("sessions"), "COMPLETED"));
        screenshot("console-sessions.png");
    }

    @Test
    void keyTypedWhileAPageWorks_nextClickIsNotLost() {
        signIn();
        waiting().until(ExpectedConditions.numberOfElementsToBeMoreThan(By.cssSelector("#start-topology option"), 0));
        new Select(browser.findElement(By.id("start-topology"))).selectByValue("interview");
        browser.findElement(By.id("start-task")).sendKeys("started right after typing the key");
        WebElement key = browser.findElement(By.id("api-key"));
        key.clear();
        key.sendKeys(KEY); // the field keeps focus: the click below blurs it (the 'change' event) on its mouse-down

        browser.findElement(By.id("start-button")).click();

        waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("session-status")));
        assertThat(browser.getCurrentUrl()).as("the click started a session").contains("#/sessions/");
    }

    @Test
    void keyEnteredAfterA401_pageLoads() {
        browser.get(server.url() + "/console");
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("view"), "401"));
        WebElement key = browser.findElement(By.id("api-key"));
        key.sendKeys(KEY, Keys.TAB); // focus leaves the field: 'change'

        waiting().until(ExpectedConditions.numberOfElementsToBeMoreThan(By.cssSelector("#start-topology option"), 0));
    }

    @Test
    void workflow_followedLive_untilCompleted() throws Exception {
        Http http = new Http(server.url()).header("X-API-Key", KEY);
        String id = http.post(
                        "/run-graph",
                        Map.of(
                                "workflow_type",
                                "sequential",
                                "tasks",
                                List.of(
                                        Map.of(
                                                "agent_id",
                                                "ui",
                                                "agent_role",
                                                "frontend",
                                                "input_data",
                                                Map.of("simulate_ms", 800)),
                                        Map.of(
                                                "agent_id",
                                                "api",
                                                "agent_role",
                                                "backend",
                                                "input_data",
                                                Map.of("simulate_ms", 800)))))
                .json()
                .path("workflow_id")
                .asText();
        signIn();

        browser.get(server.url() + "/console#/workflows/" + id);

        waiting().until(ExpectedConditions.textToBe(By.id("workflow-status"), "completed"));
        assertThat(browser.findElements(By.cssSelector("#tasks tbody tr"))).hasSize(2);
        screenshot("console-workflow.png");
    }
}

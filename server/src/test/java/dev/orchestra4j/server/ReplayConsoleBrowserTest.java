package dev.orchestra4j.server;

import static dev.orchestra4j.core.llm.ScriptedChatModel.finish;
import static dev.orchestra4j.core.llm.ScriptedChatModel.invoke;
import static dev.orchestra4j.core.llm.ScriptedChatModel.toolCall;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.orchestra4j.core.AgentRegistry;
import dev.orchestra4j.core.llm.LlmAgent;
import dev.orchestra4j.core.llm.ScriptedChatModel;
import dev.orchestra4j.topology.Topology;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console's recorded-step pages (issue #19) in a real headless Chromium: a session of LlmAgents runs, its step list
 * and one step's model and tool calls are shown, and "Fork from here" starts a fork whose earlier steps are copied
 * from the recording. The same Chromium setup as {@link ConsoleBrowserTest}.
 */
final class ReplayConsoleBrowserTest {

    private static final String KEY = "replay-key";

    @TempDir
    Path profile;

    private OrchestraServer server;
    private WebDriver browser;

    /** Finds a fact with a tool, then hands it to the Writer, who finishes; decided per request, so forks work too. */
    static final class Facts {
        @Tool("Looks a fact up")
        public String lookup(String query) {
            return "otters hold hands (" + query + ")";
        }
    }

    private static AiMessage decide(ChatRequest request) {
        String system = request.messages().getFirst().toString();
        if (system.contains("\"Writer\"")) {
            return finish("Report: otters hold hands.");
        }
        return request.messages().getLast() instanceof ToolExecutionResultMessage result
                ? invoke("Writer", "notes: " + result.text())
                : toolCall("lookup", "{\"query\": \"otters\"}");
    }

    private static AgentRegistry agents() {
        ScriptedChatModel model = ScriptedChatModel.builder()
                .otherwise(ReplayConsoleBrowserTest::decide)
                .tokenUsage(30, 5)
                .build();
        return AgentRegistry.create()
                .register(
                        "Finder",
                        LlmAgent.builder()
                                .name("Finder")
                                .model(model)
                                .systemPrompt("You find facts.")
                                .tools(new Facts())
                                .build())
                .register(
                        "Writer",
                        LlmAgent.builder()
                                .name("Writer")
                                .model(model)
                                .systemPrompt("You write.")
                                .build());
    }

    @BeforeEach
    void open() {
        Chromium.requireInstalled("the replay console test");
        Topology topology = Topology.builder()
                .edge("Start -> Finder")
                .edge("Finder -> Writer")
                .edge("Writer -> End")
                .build();
        server = TestServers.start(b -> b.apiKey(KEY).topology("facts", topology, agents()));
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

    private void signIn() {
        browser.get(server.url() + "/console");
        WebElement key = waiting().until(ExpectedConditions.elementToBeClickable(By.id("api-key")));
        key.sendKeys(KEY);
        ((JavascriptExecutor) browser).executeScript("arguments[0].dispatchEvent(new Event('change'))", key);
        waiting()
                .until(d ->
                        KEY.equals(((JavascriptExecutor) d).executeScript("return sessionStorage.getItem('o4j.key')")));
        browser.navigate().refresh(); // the key field loses focus: its change event must not re-render a later page
    }

    private List<String> column(int index) {
        return browser.findElements(By.cssSelector("#steps tbody tr")).stream()
                .map(row -> row.findElements(By.tagName("td")).get(index).getText())
                .toList();
    }

    @Test
    void recordedSteps_stepDetailWithModelAndToolCalls_forkFromHere() throws Exception {
        Http http = new Http(server.url()).header("X-API-Key", KEY);
        http.post(
                "/api/sessions", Map.of("topology", "facts", "task", "Tell me about otters", "session_id", "otters-1"));
        Eventually.await(
                "session otters-1 to complete",
                () -> http.get("/api/sessions/otters-1").json().path("status").asText(),
                "COMPLETED"::equals);
        signIn();

        // the session page links to its recorded steps
        browser.get(server.url() + "/console#/sessions/otters-1");
        waiting().until(ExpectedConditions.textToBe(By.id("session-status"), "COMPLETED"));
        waiting().until(ExpectedConditions.attributeContains(By.id("steps-link"), "href", "#/sessions/otters-1/steps"));
        browser.findElement(By.id("steps-link")).click();
        try {
            waiting().until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#steps tbody tr"), 2));
        } catch (RuntimeException e) {
            screenshot("console-steps-failure.png");
            System.err.println("URL: " + browser.getCurrentUrl() + "\nPAGE: "
                    + browser.findElement(By.id("view"))
                            .getText()
                            .lines()
                            .limit(12)
                            .toList());
            throw e;
        }
        assertThat(column(1)).containsExactly("Finder", "Writer");
        assertThat(column(3)).containsExactly("handoff → Writer", "finish");
        assertThat(column(6)).containsExactly("2", "1");
        assertThat(column(7)).containsExactly("1", "0");
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#steps-diagram svg")));
        screenshot("console-steps.png");

        // one step in full: input, decision, the model calls with their messages, the tool call
        WebElement first = browser.findElement(By.cssSelector("#steps tbody tr[data-step='1'] a"));
        assertThat(first.getAttribute("href")).endsWith("#/sessions/otters-1/steps/1");
        first.click();
        waiting().until(ExpectedConditions.textToBe(By.id("step-agent"), "Finder on b1"));
        assertThat(browser.findElement(By.id("step-input")).getText()).isEqualTo("Tell me about otters");
        assertThat(browser.findElement(By.id("step-action")).getText()).isEqualTo("handoff → Writer");
        assertThat(browser.findElement(By.id("step-output")).getText()).isEqualTo("notes: otters hold hands (otters)");
        List<WebElement> calls = browser.findElements(By.cssSelector("#model-calls .model-call"));
        assertThat(calls).hasSize(2);
        assertThat(calls.getFirst().getText()).contains("30+5 tokens", "You find facts.", "lookup");
        assertThat(browser.findElement(By.cssSelector("#tool-calls .tool-call")).getText())
                .contains("lookup", "otters hold hands (otters)");
        screenshot("console-step.png");

        // fork from here: a new session whose step 1 is copied from the recording and whose Writer ran again
        browser.findElement(By.id("fork-button")).click();
        try {
            waiting().until(ExpectedConditions.urlMatches("#/sessions/otters-1-fork-[0-9a-f]{8}/steps$"));
        } catch (RuntimeException e) {
            screenshot("console-fork-failure.png");
            Object probe = ((JavascriptExecutor) browser)
                    .executeScript("const b = document.getElementById('fork-button');"
                            + " const r = b.getBoundingClientRect();"
                            + " const top = document.elementFromPoint(r.x + 5, r.y + 5);"
                            + " return typeof b.onclick + ' ' + b.disabled + ' '"
                            + " + (top && top.outerHTML.slice(0, 200)) + ' ' + location.hash");
            System.err.println(
                    "FORK: " + browser.findElement(By.id("fork-result")).getText() + " / " + probe);
            throw e;
        }
        waiting().until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#steps tbody tr"), 2));
        String fork = browser.findElement(By.id("steps-session")).getText();
        assertThat(fork).startsWith("otters-1-fork-");
        assertThat(column(8)).containsExactly("otters-1", "");
        assertThat(column(1)).containsExactly("Finder", "Writer");
        screenshot("console-fork.png");
        JsonNode forked = http.get("/api/sessions/" + fork + "/steps/2").json();
        assertThat(forked.path("output").asText()).isEqualTo("Report: otters hold hands.");
        assertThat(http.get("/api/sessions/otters-1/steps/9").status()).isEqualTo(404);
    }
}

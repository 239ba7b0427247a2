package org.rapidsrivers.cli;

import org.rapidsrivers.core.testing.Needed;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The live page in a real headless Chromium (Debian's chromium and chromium-driver, which make test
 * installs): it loads with no console errors, draws every river and topic of the stage, shows a newly
 * sent event within 3 s, and leaves a screenshot in target/. rr ui stops on Ctrl-C and refuses a busy port.
 */
class LivePageIT {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    @TempDir
    Path workDir;

    private Process ui;
    private ChromeDriver browser;

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (ui != null) {
            ui.destroyForcibly();
        }
    }

    @Test
    void thePageDrawsTheStageRefreshesItselfAndShowsANewEventWithinThreeSeconds() throws Exception {
        Needed.assume(Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER),
                "needs Debian's chromium and chromium-driver (make test installs them where apt-get may run)");
        assertThat(rr("subscribe", "pages", "ViewPage").exitCode()).isZero();
        assertThat(rr("subscribe", "offers", "OfferMade").exitCode()).isZero();
        assertThat(rr("subscribe", "offers", "ViewPage").exitCode()).isZero();
        assertThat(rr("advertise", "Lonely").exitCode()).isZero();
        assertThat(rr("advertise", "ViewPage").exitCode()).isZero();
        // a monitor nobody judges yet: the page shows it and says so (its river, monitor, is the third)
        assertThat(rr("monitor", "add", "views", "--when", "ViewPage", "--at-least", "1/min").exitCode()).isZero();
        String url = startUi(0);

        browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).build(), options());
        browser.get(url);
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        wait.until(b -> Boolean.TRUE.equals(((JavascriptExecutor) b).executeScript("return window.rrReady === true")));
        wait.until(b -> b.findElements(By.cssSelector("#rivers tbody tr")).size() == 3);
        wait.until(b -> b.findElement(By.cssSelector("#monitors tbody")).getText().contains("views unevaluated"));
        assertThat(browser.findElement(By.cssSelector("#monitors tbody")).getText())
                .contains("--when ViewPage --at-least 1/min --over 10m");

        @SuppressWarnings("unchecked")
        List<String> drawn = (List<String>) browser.executeScript(
                "return window.rrGraph.nodes().map(n => n.data('kind') + ':' + n.data('label'))");
        assertThat(drawn).contains("river:pages", "river:offers", "topic:ViewPage", "topic:OfferMade", "topic:Lonely");
        assertThat(browser.findElement(By.id("stage")).getText()).isEqualTo("stage dev");
        assertThat(browser.findElement(By.id("flags")).getText()).contains("topic Lonely is advertised but no river consumes it");

        String eventId = rr("send", "ViewPage", "web", "{\"page\":\"/home\"}").stdout().strip();
        long sent = System.nanoTime();
        new WebDriverWait(browser, Duration.ofSeconds(3)).until(b -> !b.findElements(
                By.cssSelector("#events tr[data-event-id='" + eventId + "']")).isEmpty());
        long shownWithinMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
        String row = browser.findElement(By.cssSelector("#events tr[data-event-id='" + eventId + "']")).getText();
        assertThat(row).contains("ViewPage", "web", "offers, pages");
        // the status refreshes by itself: the event reaches both rivers' counts without a reload
        wait.until(b -> b.findElement(By.id("rivers")).getText().matches("(?s).*pages ViewPage 1 .*"));

        Path screenshot = Path.of("target", "live-page.png");
        Files.createDirectories(screenshot.getParent());
        Files.copy(((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath(), screenshot,
                StandardCopyOption.REPLACE_EXISTING);
        List<String> errors = new ArrayList<>();
        for (LogEntry entry : browser.manage().logs().get(LogType.BROWSER)) {
            if (entry.getLevel().intValue() >= Level.SEVERE.intValue()) {
                errors.add(entry.getMessage());
            }
        }
        assertThat(errors).as("console errors").isEmpty();
        assertThat(shownWithinMillis).isLessThan(3_000);
        assertThat(Files.size(screenshot)).isPositive();
    }

    @Test
    void ctrlCStopsItCleanlyAndABusyPortIsOneLine() throws Exception {
        String url = startUi(0);
        int port = Integer.parseInt(url.replaceAll(".*:(\\d+)/\\?token=.*$", "$1"));

        RrProcess.Result second = rr("ui", "--port", Integer.toString(port));
        assertThat(second.exitCode()).isEqualTo(1);
        assertThat(second.errors()).isEqualTo("error: port " + port
                + " on 127.0.0.1 is busy (another rr ui?): choose another with --port\n");

        new ProcessBuilder("kill", "-INT", Long.toString(ui.pid())).start().waitFor();
        // a bound, not a wait: stopping drains the planes hosted here (up to 10 s) and closes the stage; on a
        // busy machine 20 s was seen short
        assertThat(ui.waitFor(60, TimeUnit.SECONDS)).as("rr ui stopped after Ctrl-C").isTrue();
        assertThat(ui.exitValue()).isZero();
        try (ServerSocket free = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertThat(free.getLocalPort()).as("the port is free again").isEqualTo(port);
        }
    }

    @Test
    void aRequestNamingAnotherHostOrOriginIsRefusedAndThePageForbidsFraming() throws Exception {
        String url = startUi(0);
        int port = Integer.parseInt(url.replaceAll(".*:(\\d+)/\\?token=.*$", "$1"));

        String ours = request(port, "127.0.0.1:" + port, null, "/api/status");
        // header names as the JDK's server writes them (only the first letter upper-case): compared in lower case
        assertThat(ours).startsWith("HTTP/1.1 200");
        assertThat(ours.toLowerCase(Locale.ROOT)).contains("content-security-policy: default-src 'none'; script-src 'self';")
                .contains("frame-ancestors 'none'").contains("x-frame-options: deny");
        // DNS rebinding: a site whose name now leads to 127.0.0.1 still sends its own name as the Host
        assertThat(request(port, "evil.example:" + port, null, "/api/status")).startsWith("HTTP/1.1 403")
                .contains("refused: the Host header must be 127.0.0.1:" + port + " or localhost:" + port);
        assertThat(request(port, "localhost:" + port, "http://evil.example", "/api/topology")).startsWith("HTTP/1.1 403")
                .contains("refused: a request from another origin (http://evil.example)");
        assertThat(request(port, "localhost:" + port, "http://localhost:" + port, "/api/topology")).startsWith("HTTP/1.1 200");
        // another user of this machine reaches the port too, but never saw the token: no read of the stage
        assertThat(request(port, "127.0.0.1:" + port, null, "/api/status", null)).startsWith("HTTP/1.1 403")
                .contains("refused: a read of the stage needs the page's token");
        assertThat(request(port, "127.0.0.1:" + port, null, "/api/events?after=0", "not-" + token)).startsWith("HTTP/1.1 403");
        assertThat(request(port, "127.0.0.1:" + port, null, "/app.js", null)).as("the page itself holds nothing of the stage")
                .startsWith("HTTP/1.1 200");
    }

    /** One HTTP/1.1 request written by hand, so the Host header is whatever the test says; with the page's token. */
    private String request(int port, String host, String origin, String path) throws IOException {
        return request(port, host, origin, path, token);
    }

    private static String request(int port, String host, String origin, String path, String token) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(30_000);
            String text = "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n" + (origin == null ? "" : "Origin: " + origin + "\r\n")
                    + (token == null ? "" : "X-RR-Token: " + token + "\r\n") + "Connection: close\r\n\r\n";
            socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The token the last rr ui started printed with its address. */
    private String token;

    private RrProcess.Result rr(String... args) {
        List<String> all = new ArrayList<>(List.of("--stage", "dev"));
        all.addAll(List.of(args));
        return RrProcess.run(workDir, null, all.toArray(String[]::new));
    }

    /** Starts rr ui on the port (0: any free one, which it says); the page's address. */
    private String startUi(int port) throws IOException {
        List<String> command = new ArrayList<>(RrProcess.launcherWithCtrlC());
        command.addAll(List.of("--stage", "dev", "ui", "--port", Integer.toString(port)));
        ui = new ProcessBuilder(command)
                .directory(workDir.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(ui.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertThat(line).matches("serving the live page of stage dev on http://127\\.0\\.0\\.1:\\d+/\\?token=[A-Za-z0-9_-]{32} \\(Ctrl-C stops\\)");
        token = line.replaceAll("^.*\\?token=(\\S+) .*$", "$1");
        return line.replaceAll("^.* on (http://\\S+) .*$", "$1");
    }

    private static ChromeOptions options() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // headless as root in a container: no sandbox, no GPU, a fixed window for the screenshot
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1400,1000");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        options.setExperimentalOption("prefs", Map.of());
        return options;
    }

}

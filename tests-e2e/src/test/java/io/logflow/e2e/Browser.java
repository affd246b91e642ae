package io.logflow.e2e;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Level;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A headless Debian chromium driven by its chromium-driver, for the browser ITs: a fixed window, the browser's console
 * captured, screenshots into {@code docs/screenshots}, waits instead of sleeps. The driver's path is given, so
 * Selenium Manager never runs (shared notes). Without chromium the tests are skipped, except in CI, where they fail.
 */
final class Browser implements AutoCloseable {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    final ChromeDriver driver;

    private Browser(ChromeDriver driver) {
        this.driver = driver;
    }

    /**
     * A new browser session; skips the calling test when chromium or chromedriver is missing (fails it in CI). Call it
     * before starting servers, so that a skipped test starts nothing.
     */
    static void assumeInstalled() {
        if (!installed() && "true".equalsIgnoreCase(System.getenv("CI"))) fail("CI=true and no browser: " + HOW);
        Assumptions.assumeTrue(installed(), HOW);
    }

    static final String HOW = "the browser tests need " + CHROMIUM + " and " + CHROMEDRIVER
            + ": `apt-get install chromium chromium-driver` enables them";

    static boolean installed() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    /**
     * On a browser test class: without chromium its tests are reported skipped, with {@link #HOW} in the build's
     * output, and nothing is started; in CI they run (and fail in {@link #assumeInstalled()}).
     */
    static final class Required implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            if (installed() || "true".equalsIgnoreCase(System.getenv("CI")))
                return ConditionEvaluationResult.enabled("chromium is installed");
            if (context.getTestMethod().isEmpty())
                System.out.println("[browser] SKIPPED " + context.getDisplayName() + ": " + HOW);
            return ConditionEvaluationResult.disabled(HOW);
        }
    }

    static Browser open() {
        assumeInstalled();
        var options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage");
        var logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        var service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        var driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(1400, 900));
        return new Browser(driver);
    }

    WebDriver get(String url) {
        driver.get(url);
        return driver;
    }

    /**
     * Signs in on the login page as a user does: opens {@code base}, signs out whoever was signed in (the login page
     * shows while nobody is), types the name and password, submits, and waits for the shell's navigation naming the
     * user.
     */
    void login(String base, String username, String password) {
        get(base + "/");
        forgetSession();
        await(30, d -> d.findElement(By.id("login-username"))).sendKeys(username);
        driver.findElement(By.id("login-password")).sendKeys(password);
        driver.findElement(By.cssSelector("main.login button[type=submit]")).click();
        await(
                30,
                d -> d.findElements(By.cssSelector("nav.nav .who")).stream()
                        .anyMatch(e -> e.getText().startsWith(username)));
    }

    /** Forgets who is signed in, as clearing the site's data would, and reloads the page. */
    void forgetSession() {
        js("localStorage.removeItem('logflow.session')");
        driver.navigate().refresh();
    }

    /** Waits up to {@code seconds} until {@code condition} answers non-null and non-false; its last answer. */
    <T> T await(int seconds, Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, Duration.ofSeconds(seconds), Duration.ofMillis(100)).until(condition::apply);
    }

    Object js(String script, Object... args) {
        return driver.executeScript(script, args);
    }

    /** The browser's console entries since the last call. */
    List<LogEntry> console() {
        return driver.manage().logs().get(LogType.BROWSER).getAll();
    }

    /** Fails, printing them, when the console has SEVERE entries (JavaScript errors, failed requests) since the last
     * call. */
    void assertNoConsoleErrors() {
        List<LogEntry> all = console();
        all.forEach(e -> System.out.println("[browser console] " + e.getLevel() + " " + e.getMessage()));
        List<String> severe = all.stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(e -> e.getLevel() + " " + e.getMessage())
                .toList();
        if (!severe.isEmpty()) fail("SEVERE entries in the browser console:\n" + String.join("\n", severe));
    }

    /**
     * Waits until the console has a SEVERE entry containing {@code fragment} (a request a test made fail on purpose),
     * then forgets the entries so far; fails when none comes.
     */
    void expectConsoleError(String fragment) {
        await(
                10,
                d -> console().stream()
                        .anyMatch(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()
                                && e.getMessage().contains(fragment)));
    }

    /** Saves the window as {@code docs/screenshots/<name>.png} in the repository; its path. */
    Path screenshot(String name) throws IOException {
        Path dir = Path.of(System.getProperty("logflow.screenshotsDir", "../docs/screenshots"));
        Files.createDirectories(dir);
        Path file = dir.resolve(name + ".png");
        Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
        System.out.println("[browser] screenshot " + file.toAbsolutePath().normalize());
        return file;
    }

    @Override
    public void close() {
        driver.quit();
    }
}

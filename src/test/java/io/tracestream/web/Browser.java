package io.tracestream.web;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven by Selenium, for the dashboard's tests. Fails loudly, naming
 * the packages, when the browser or its driver is missing: a skipped browser test proves nothing.
 */
final class Browser implements AutoCloseable {

    static final String CHROMIUM = "/usr/bin/chromium";
    static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    static final Duration WAIT = Duration.ofSeconds(15);

    private final Path profile;
    private final ChromeDriver driver;

    private Browser(int width, int height) {
        for (String tool : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!new File(tool).canExecute()) {
                throw new AssertionError(tool + " not found: the dashboard's browser tests need Debian's packages "
                        + "chromium and chromium-driver (apt-get install -y chromium chromium-driver)");
            }
        }
        // Selenium Manager would otherwise try to download a driver, and this network is closed.
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
        try {
            profile = Files.createTempDirectory("tracestream-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=" + width + "," + height);
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
    }

    static Browser start() {
        return new Browser(1280, 800);
    }

    static Browser start(int width, int height) {
        return new Browser(width, height);
    }

    WebDriver driver() {
        return driver;
    }

    void open(String url) {
        driver.get(url);
    }

    <T> T await(Function<WebDriver, T> condition) {
        try {
            return new WebDriverWait(driver, WAIT, Duration.ofMillis(25)).until(condition);
        } catch (TimeoutException e) {
            throw new AssertionError("timed out on " + driver.getCurrentUrl() + "; browser console errors: " + consoleErrors(), e);
        }
    }

    /**
     * The element's text as soon as it is displayed. Use it rather than reading the text after a
     * wait: a live panel may be redrawn by the next summary in between.
     */
    String awaitText(By by) {
        return await(d -> visibleText(by));
    }

    /**
     * Waits until the displayed element reads {@code expected}, looking again whenever a live
     * update redraws it; a timeout names what it read last.
     */
    void awaitText(By by, String expected) {
        String[] last = {null};
        try {
            new WebDriverWait(driver, WAIT, Duration.ofMillis(25)).until(d -> {
                last[0] = visibleText(by);
                return expected.equals(last[0]);
            });
        } catch (TimeoutException e) {
            throw new AssertionError(by + ": expected \"" + expected + "\" but read \"" + last[0] + "\"; browser console errors: "
                    + consoleErrors(), e);
        }
    }

    /** The element's text once it is displayed, or null while it is not. */
    String visibleText(By by) {
        try {
            List<WebElement> found = driver.findElements(by);
            return found.isEmpty() || !found.get(0).isDisplayed() ? null : found.get(0).getText();
        } catch (StaleElementReferenceException e) {
            return null; // redrawn by a summary meanwhile: look again
        }
    }

    Object script(String js, Object... args) {
        return driver.executeScript(js, args);
    }

    /** Errors the page logged (script errors, CSP violations), for a test to show when it fails. */
    List<String> consoleErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue())
                .map(LogEntry::getMessage).toList();
    }

    void screenshot(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), file, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a leftover profile in the temp dir is harmless
            }
        }
    }

}

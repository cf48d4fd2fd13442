package io.millrace.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.api.auth.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The dashboard in headless Chromium: it connects to the live stream and shows each pipeline's state and throughput. */
@Timeout(value = 4, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DashboardBrowserIT {

    @Test
    void dashboardShowsRunningPipelinesWithLiveCounts() throws Exception {
        try (Platform platform = TestPlatform.start(List.of(FixtureModule.of(new TallyPipeline(), new TallyPipeline.Api())), "tally")) {
            TestPlatform.awaitRunning(platform, Duration.ofSeconds(60));
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    TestPlatform.bootstrapServers()), new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < 500; i++) {
                    producer.send(new ProducerRecord<>(TallyPipeline.WORDS, "word-" + (i % 17), "x"));
                }
            }
            ChromeDriver browser = chromium();
            try {
                String base = "http://localhost:" + platform.httpPort();
                // The table is redrawn every second: an element found a moment ago may be gone when it is read.
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
                wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);

                // Not signed in: the page says how to sign in instead of retrying for ever
                browser.get(base + "/");
                wait.until(d -> d.findElement(By.id("connection")).getText().equals("signed out"));
                assertThat(browser.findElement(By.id("sign-in")).isDisplayed()).isTrue();
                assertThat(browser.findElement(By.id("sign-in")).getText()).contains("millrace token");

                // A user's token signs in but does not show the operators' view
                browser.get(base + "/login?token=" + TestPlatform.token("ana", Role.USER));
                wait.until(d -> d.findElement(By.id("connection")).getText().equals("not allowed"));

                // The operator's link, as run --demo prints it: the cookie is set, HttpOnly (scripts cannot read it)
                browser.get(base + "/login?token=" + TestPlatform.token("ops", Role.OPERATOR));
                wait.until(d -> d.getCurrentUrl().equals(base + "/"));
                assertThat(browser.manage().getCookieNamed("millrace_session").isHttpOnly()).isTrue();
                assertThat((String) browser.executeScript("return document.cookie")).doesNotContain("millrace_session");
                wait.until(d -> d.findElement(By.id("connection")).getText().equals("live"));
                WebElement row = wait.until(d -> d.findElement(By.cssSelector("tr[data-pipeline='tally']")));
                wait.until(d -> row(d.findElement(By.cssSelector("tr[data-pipeline='tally']"))).get(1).equals("RUNNING"));
                wait.until(d -> Double.parseDouble(row(d.findElement(By.cssSelector("tr[data-pipeline='tally']"))).get(3)
                        .replace(",", "")) >= 500);
                Path screenshot = Path.of("target", "dashboard.png");
                Files.write(screenshot, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
                assertThat(browser.getTitle()).isEqualTo("Millrace");
                String firstCell = wait.until(d -> row(d.findElement(By.cssSelector("tr[data-pipeline='tally']"))).get(0));
                assertThat(firstCell).isEqualTo("tally");
            } finally {
                browser.quit();
            }
        }
    }

    private static List<String> row(WebElement row) {
        return row.findElements(By.tagName("td")).stream().map(WebElement::getText).toList();
    }

    static ChromeDriver chromium() throws Exception {
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1400,900", "--user-data-dir=" + Files.createTempDirectory("millrace-chromium"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile()).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }
}

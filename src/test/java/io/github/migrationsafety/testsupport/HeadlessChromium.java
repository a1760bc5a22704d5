package io.github.migrationsafety.testsupport;

import io.github.migrationsafety.report.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's headless Chromium driven over the DevTools protocol with the JDK's own HTTP client and WebSocket, and the
 * plugin's JSON reader: no Selenium, no driver binary. It loads a page, records every request the page makes,
 * evaluates JavaScript against the rendered DOM and takes screenshots.
 */
public final class HeadlessChromium implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://[^\\s]+)");

    private final Process process;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<Map<String, Object>>> pending = new ConcurrentHashMap<>();
    private final List<Map<String, Object>> events = new ArrayList<>();

    /** The Chromium binary: {@code $CHROMIUM}, else {@code /usr/bin/chromium}, when it is there. */
    public static Optional<Path> executable() {
        String configured = System.getenv("CHROMIUM");
        Path binary = Path.of(configured == null || configured.isBlank() ? "/usr/bin/chromium" : configured);
        return Files.isExecutable(binary) ? Optional.of(binary) : Optional.empty();
    }

    /** Starts Chromium with a fresh profile in {@code profile} and attaches to its first tab. */
    public static HeadlessChromium start(Path binary, Path profile) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(
                        binary.toString(),
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--hide-scrollbars",
                        "--no-first-run",
                        "--disable-extensions",
                        "--disable-background-networking",
                        "--remote-debugging-port=0",
                        "--user-data-dir=" + profile.toAbsolutePath(),
                        "--window-size=1280,900",
                        "about:blank")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            String browserUrl = browserUrl(process);
            URI browser = URI.create(browserUrl);
            HttpClient http = HttpClient.newHttpClient();
            String pageSocket = null;
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (pageSocket == null && System.nanoTime() < deadline) {
                String list = http.send(
                                HttpRequest.newBuilder(URI.create(
                                                "http://" + browser.getHost() + ":" + browser.getPort() + "/json/list"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
                for (Object target : (List<?>) Json.readValue(Json.FACTORY.createParser(list))) {
                    Map<?, ?> entry = (Map<?, ?>) target;
                    if ("page".equals(entry.get("type"))) {
                        pageSocket = (String) entry.get("webSocketDebuggerUrl");
                    }
                }
                if (pageSocket == null) {
                    Thread.sleep(100);
                }
            }
            if (pageSocket == null) {
                throw new IOException("Chromium opened no page to attach to");
            }
            return new HeadlessChromium(process, http, URI.create(pageSocket));
        } catch (IOException | InterruptedException | RuntimeException e) {
            process.destroyForcibly();
            throw e;
        }
    }

    private HeadlessChromium(Process process, HttpClient http, URI page) {
        this.process = process;
        this.socket = http.newWebSocketBuilder()
                .buildAsync(page, new Listener())
                .orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                .join();
    }

    /** Sends one DevTools command and waits for its result. */
    public Map<String, Object> send(String method, Map<String, Object> params) {
        int id = ids.incrementAndGet();
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("id", id);
        message.put("method", method);
        message.put("params", params);
        CompletableFuture<Map<String, Object>> answer = new CompletableFuture<>();
        pending.put(id, answer);
        try {
            socket.sendText(Json.pretty(message), true).join();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Map<String, Object> response =
                answer.orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
        if (response.get("error") != null) {
            throw new IllegalStateException(method + " failed: " + response.get("error"));
        }
        return Json.object(response, "result");
    }

    /** Loads {@code url} with request tracking on, and waits until its load event. */
    public void load(String url) throws InterruptedException {
        send("Network.enable", Map.of());
        send("Page.enable", Map.of());
        int seen = events("Page.loadEventFired").size();
        send("Page.navigate", Map.of("url", url));
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (events("Page.loadEventFired").size() == seen) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("page did not load: " + url);
            }
            Thread.sleep(50);
        }
    }

    /** Every URL the page requested since the browser started (the page itself included). */
    public List<String> requestedUrls() {
        List<String> urls = new ArrayList<>();
        for (Map<String, Object> event : events("Network.requestWillBeSent")) {
            urls.add(Json.text(Json.object(Json.object(event, "params"), "request"), "url", "?"));
        }
        return urls;
    }

    /** The value of a JavaScript expression evaluated in the page (JSON-compatible values only). */
    public Object evaluate(String expression) {
        Map<String, Object> result =
                send("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
        if (result.get("exceptionDetails") != null) {
            throw new IllegalStateException("script failed: " + result.get("exceptionDetails"));
        }
        return Json.object(result, "result").get("value");
    }

    /**
     * A PNG of the page from {@code top} (CSS pixels) down, {@code height} high, the full width of a 1280-pixel
     * window; beyond the window when needed.
     */
    public void screenshot(Path file, double top, double height) throws IOException {
        Map<String, Object> clip = Map.of("x", 0, "y", top, "width", 1280, "height", height, "scale", 1);
        Map<String, Object> result =
                send("Page.captureScreenshot", Map.of("format", "png", "clip", clip, "captureBeyondViewport", true));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, Base64.getDecoder().decode(Json.text(result, "data", "")));
    }

    private List<Map<String, Object>> events(String method) {
        synchronized (events) {
            return events.stream().filter(e -> method.equals(e.get("method"))).toList();
        }
    }

    @Override
    public void close() throws InterruptedException {
        socket.abort();
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Reads Chromium's stderr until it names its DevTools endpoint, then keeps draining it. */
    private static String browserUrl(Process process) throws IOException {
        BufferedReader stderr =
                new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        String line;
        while ((line = stderr.readLine()) != null) {
            Matcher matcher = LISTENING.matcher(line);
            if (matcher.find()) {
                Thread drain = new Thread(() -> {
                    try {
                        while (stderr.readLine() != null) {
                            // discard: Chromium's own warnings (D-Bus, GPU) are noise here
                        }
                    } catch (IOException e) {
                        // the browser closed
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return matcher.group(1);
            }
            seen.append(line).append('\n');
        }
        throw new IOException("Chromium exited before opening DevTools:\n" + seen);
    }

    /** Collects text frames into messages; answers go to their waiting command, events to the list. */
    private final class Listener implements WebSocket.Listener {

        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                try {
                    Map<String, Object> message = asObject(Json.readValue(Json.FACTORY.createParser(text)));
                    if (message.get("id") instanceof Number id) {
                        CompletableFuture<Map<String, Object>> answer = pending.remove(id.intValue());
                        if (answer != null) {
                            answer.complete(message);
                        }
                    } else {
                        synchronized (events) {
                            events.add(message);
                        }
                    }
                } catch (IOException e) {
                    pending.values().forEach(p -> p.completeExceptionally(e));
                }
            }
            webSocket.request(1);
            return null;
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asObject(Object value) {
        return (Map<String, Object>) value;
    }
}

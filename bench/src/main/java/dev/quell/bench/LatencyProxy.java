package dev.quell.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A reverse proxy on a loopback port that forwards every request to one target (the moto server) and holds each
 * response for a fixed delay before it answers, so that every AWS call costs what a call to a real regional
 * endpoint costs. Set as the endpoint of every client, it also records each request: the API operation and when
 * the request arrived and when its response was sent.
 *
 * <p>Requests are served on a thread each, so concurrent calls overlap their delays as they would against AWS.
 */
public final class LatencyProxy implements AutoCloseable {

    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "transfer-encoding",
            "content-length", "host", "te", "trailer", "upgrade", "proxy-connection", "expect");

    /** One forwarded request, with times in wall-clock epoch microseconds. */
    public record Request(String operation, long startMicros, long endMicros) {
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "latency-proxy");
        thread.setDaemon(true);
        return thread;
    });
    private final URI target;
    private final long delayMillis;
    private final long epochMicrosAtStart = System.currentTimeMillis() * 1000;
    private final long nanosAtStart = System.nanoTime();
    private final List<Request> log = new ArrayList<>();

    private LatencyProxy(URI target, long delayMillis) throws IOException {
        this.target = target;
        this.delayMillis = delayMillis;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/", this::forward);
        server.setExecutor(threads);
    }

    /**
     * Starts a proxy on a free loopback port.
     *
     * @param delayMillis how long each response is held after the target answered, in milliseconds
     */
    public static LatencyProxy start(URI target, long delayMillis) throws IOException {
        LatencyProxy proxy = new LatencyProxy(target, delayMillis);
        proxy.server.start();
        return proxy;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Returns the requests recorded since the last call, and clears the record. */
    public synchronized List<Request> drain() {
        List<Request> drained = List.copyOf(log);
        log.clear();
        return drained;
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }

    private void forward(HttpExchange exchange) throws IOException {
        long start = nowMicros();
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            HttpURLConnection upstream = (HttpURLConnection) target.resolve(exchange.getRequestURI().toString())
                    .toURL().openConnection();
            upstream.setRequestMethod(exchange.getRequestMethod());
            upstream.setConnectTimeout(5_000);
            upstream.setReadTimeout(60_000);
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                    values.forEach(value -> upstream.addRequestProperty(name, value));
                }
            });
            if (body.length > 0) {
                upstream.setDoOutput(true);
                upstream.setFixedLengthStreamingMode(body.length);
                try (OutputStream out = upstream.getOutputStream()) {
                    out.write(body);
                }
            }
            int status = upstream.getResponseCode();
            byte[] answer = readAll(status >= 400 ? upstream.getErrorStream() : upstream.getInputStream());
            sleep(delayMillis);
            upstream.getHeaderFields().forEach((name, values) -> {
                if (name != null && !HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                    exchange.getResponseHeaders().put(name, values);
                }
            });
            boolean noBody = answer.length == 0 || "HEAD".equals(exchange.getRequestMethod());
            exchange.sendResponseHeaders(status, noBody ? -1 : answer.length);
            if (!noBody) {
                exchange.getResponseBody().write(answer);
            }
            record(new Request(operation(exchange.getRequestHeaders().getFirst("X-Amz-Target"), body), start,
                    nowMicros()));
        }
    }

    private synchronized void record(Request request) {
        log.add(request);
    }

    private long nowMicros() {
        return epochMicrosAtStart + (System.nanoTime() - nanosAtStart) / 1000;
    }

    /**
     * Returns the API operation of a request: the part after the dot of a JSON protocol's {@code X-Amz-Target}
     * header (DynamoDB, EventBridge), or the {@code Action} parameter of a query protocol's form body (EC2, IAM,
     * Auto Scaling, Elastic Load Balancing).
     */
    static String operation(String amzTarget, byte[] body) {
        if (amzTarget != null && !amzTarget.isBlank()) {
            return amzTarget.substring(amzTarget.lastIndexOf('.') + 1);
        }
        String form = new String(body, StandardCharsets.UTF_8);
        for (String pair : form.split("&")) {
            if (pair.startsWith("Action=")) {
                return URLDecoder.decode(pair.substring("Action=".length()), StandardCharsets.UTF_8);
            }
        }
        return "unknown";
    }

    private static byte[] readAll(InputStream in) throws IOException {
        if (in == null) {
            return new byte[0];
        }
        try (in) {
            return in.readAllBytes();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Returns the operation counts of a list of requests, for a report. */
    static Map<String, Long> countByOperation(List<Request> requests) {
        Map<String, Long> counts = new java.util.TreeMap<>();
        requests.forEach(request -> counts.merge(request.operation(), 1L, Long::sum));
        return counts;
    }
}

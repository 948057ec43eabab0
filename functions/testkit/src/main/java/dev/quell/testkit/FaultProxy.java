package dev.quell.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A reverse proxy on a loopback port that forwards AWS API calls to an upstream endpoint (a moto server) and
 * makes chosen calls fail, so tests can check how the SDK's retries and the responder handle faults.
 *
 * <p>It names each request by service and action: the service from the SigV4 credential scope in the
 * {@code Authorization} header, the action from {@code Action=} in the form body (EC2, IAM, Auto Scaling and
 * Elastic Load Balancing use the Query protocol) or from the {@code X-Amz-Target} header (DynamoDB, EventBridge
 * and other JSON protocol services). A {@link Rule} matches an action, optionally in one service, and applies its
 * {@link Fault} to the first N matching requests, or to all of them, after skipping the first K. Every request
 * is recorded with the status the client received, so a test can count the attempts the SDK made.
 *
 * <p>The proxy serves on a fixed pool of threads and keeps a request waiting for at most the hold time. It closes
 * itself when {@link #close()} is called or its maximum lifetime of 10 minutes ends, whichever comes first.
 */
public final class FaultProxy implements AutoCloseable {

    /** The status recorded for a request whose connection the proxy dropped without a response. */
    public static final int DROPPED = 0;

    private static final int THREADS = 32;
    private static final Duration DEFAULT_HOLD = Duration.ofSeconds(7);
    private static final Duration MAX_LIFETIME = Duration.ofMinutes(10);
    private static final Duration UPSTREAM_TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern CREDENTIAL_SCOPE = Pattern.compile("Credential=[^/]+/[^/]+/[^/]+/([^/]+)/");
    /** Headers not copied between client and upstream: hop-by-hop ones, and those the HTTP client sets itself. */
    private static final Set<String> UNCOPIED_HEADERS = Set.of("connection", "content-length", "date", "expect", "host",
            "keep-alive", "transfer-encoding", "upgrade", "via", "warning", "from", "te", "trailer");

    static {
        // The JDK's HTTP server writes a response's headers and body in separate packets, and without TCP_NODELAY
        // Nagle's algorithm and the client's delayed ACK hold back the body. With it set, 100 sequential calls
        // through the proxy to a loopback server took under 10 ms each instead of about 50 ms. The server reads
        // this property once, when its first instance starts.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final HttpServer server;
    private final ExecutorService threads;
    private final HttpClient upstreamClient;
    private final URI upstream;
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile Duration hold = DEFAULT_HOLD;

    private FaultProxy(URI upstream) throws IOException {
        this.upstream = upstream;
        AtomicInteger count = new AtomicInteger();
        this.threads = Executors.newFixedThreadPool(THREADS, runnable -> {
            Thread thread = new Thread(runnable, "fault-proxy-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.upstreamClient = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2))
                .build();
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/", this::handle);
        server.setExecutor(threads);
    }

    /**
     * Starts a proxy on a free loopback port in front of the upstream endpoint.
     *
     * @param upstream the endpoint every request is forwarded to, for example a moto server on loopback
     * @throws IllegalArgumentException when the upstream is not on a loopback address
     */
    public static FaultProxy start(URI upstream) {
        requireLoopback(upstream);
        FaultProxy proxy;
        try {
            proxy = new FaultProxy(upstream);
        } catch (IOException e) {
            throw new UncheckedIOException("could not open a loopback port for the fault proxy", e);
        }
        proxy.server.start();
        Thread watchdog = new Thread(proxy::closeAfterLifetime, "fault-proxy-lifetime");
        watchdog.setDaemon(true);
        watchdog.start();
        return proxy;
    }

    /** Returns the proxy's endpoint, to give to SDK clients as their endpoint override. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /**
     * Sets how long a {@link Fault#TIMEOUT} or {@link Fault#RESPONSE_LOST} request is held before its connection
     * is dropped. It must be longer than the client's attempt timeout. The default, 7 seconds, is longer than the
     * 6-second attempt timeout of Quell's production clients.
     */
    public FaultProxy holdFor(Duration duration) {
        this.hold = duration;
        return this;
    }

    /** Adds a rule. Rules are checked in the order added, and the first one that matches a request applies. */
    public Rule inject(Rule rule) {
        rules.add(rule);
        return rule;
    }

    /** Makes the first {@code times} requests for the action fail with the fault. */
    public Rule failFirst(int times, String action, Fault fault) {
        return inject(Rule.on(action).first(times).with(fault));
    }

    /** Makes every request for the action fail with the fault. */
    public Rule failAlways(String action, Fault fault) {
        return inject(Rule.on(action).with(fault));
    }

    /** Removes every rule, so all later requests pass through. The recorded requests stay. */
    public void heal() {
        rules.clear();
    }

    /** Returns every request the proxy has responded to or dropped so far, in that order. */
    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Returns the requests for one action, in any service. */
    public List<Request> requests(String action) {
        return requests.stream().filter(request -> request.action().equals(action)).toList();
    }

    /** Returns the requests that would change a resource outside Quell's ledger and event bus. */
    public List<Request> mutatingRequests() {
        return requests.stream().filter(Request::mutating).toList();
    }

    /** Returns the recorded requests, one a line, for assertion messages. */
    public String describeRequests() {
        List<String> lines = new ArrayList<>();
        for (Request request : requests) {
            lines.add(request.service() + ":" + request.action() + " -> " + (request.status() == DROPPED ? "dropped"
                    : request.status()) + (request.fault() == null ? "" : " (" + request.fault() + ")"));
        }
        return String.join("\n", lines);
    }

    /** Forgets the requests recorded so far. */
    public void clearRequests() {
        requests.clear();
    }

    @Override
    public void close() {
        if (closed.getCount() == 0) {
            return;
        }
        closed.countDown();
        server.stop(0);
        threads.shutdownNow();
    }

    private void closeAfterLifetime() {
        try {
            if (!closed.await(MAX_LIFETIME.toMillis(), TimeUnit.MILLISECONDS)) {
                close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void handle(HttpExchange exchange) {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String service = serviceOf(exchange);
            String action = actionOf(exchange, body);
            Rule rule = matchingRule(service, action);
            Fault fault = rule == null ? null : rule.fault();
            if (fault == null) {
                requests.add(new Request(service, action, forward(exchange, body), null));
            } else if (fault == Fault.TIMEOUT || fault == Fault.RESPONSE_LOST) {
                if (fault == Fault.RESPONSE_LOST) {
                    send(exchange, body);
                }
                // Recorded before the hold, because the client gives up and retries while this request is held.
                requests.add(new Request(service, action, DROPPED, fault));
                holdThenDrop();
            } else {
                requests.add(new Request(service, action, sendError(exchange, service, fault), fault));
            }
        } catch (IOException e) {
            // The client gave up on this request because its attempt timed out, so no response is needed.
        }
    }

    private Rule matchingRule(String service, String action) {
        for (Rule rule : rules) {
            if (rule.claim(service, action)) {
                return rule;
            }
        }
        return null;
    }

    private int forward(HttpExchange exchange, byte[] body) throws IOException {
        HttpResponse<byte[]> response = send(exchange, body);
        if (response == null) {
            byte[] message = "fault proxy: the upstream endpoint did not respond".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(502, message.length);
            exchange.getResponseBody().write(message);
            return 502;
        }
        response.headers().map().forEach((name, values) -> {
            if (!UNCOPIED_HEADERS.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                exchange.getResponseHeaders().put(name, values);
            }
        });
        byte[] payload = response.body();
        exchange.sendResponseHeaders(response.statusCode(), payload.length == 0 ? -1 : payload.length);
        if (payload.length > 0) {
            exchange.getResponseBody().write(payload);
        }
        return response.statusCode();
    }

    /** Sends the request upstream and returns its response, or {@code null} when the upstream did not respond. */
    private HttpResponse<byte[]> send(HttpExchange exchange, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(upstream.resolve(exchange.getRequestURI().toString()))
                .timeout(UPSTREAM_TIMEOUT)
                .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!UNCOPIED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> request.header(name, value));
            }
        });
        try {
            return upstreamClient.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Waits for the hold time or until the proxy closes. Closing the exchange afterwards drops the connection. */
    private void holdThenDrop() {
        try {
            closed.await(hold.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int sendError(HttpExchange exchange, String service, Fault fault) throws IOException {
        String requestId = UUID.randomUUID().toString();
        String code = fault.code(service);
        String message = fault.message();
        byte[] payload;
        if (JSON_SERVICES.contains(service)) {
            exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
            exchange.getResponseHeaders().set("x-amzn-ErrorType", code);
            payload = ("{\"__type\":\"" + code + "\",\"message\":\"" + message + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
        } else if ("ec2".equals(service)) {
            exchange.getResponseHeaders().set("Content-Type", "text/xml;charset=UTF-8");
            payload = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>" + code
                    + "</Code><Message>" + message + "</Message></Error></Errors><RequestID>" + requestId
                    + "</RequestID></Response>").getBytes(StandardCharsets.UTF_8);
        } else {
            exchange.getResponseHeaders().set("Content-Type", "text/xml");
            String type = fault.status >= 500 ? "Receiver" : "Sender";
            payload = ("<ErrorResponse><Error><Type>" + type + "</Type><Code>" + code + "</Code><Message>" + message
                    + "</Message></Error><RequestId>" + requestId + "</RequestId></ErrorResponse>")
                    .getBytes(StandardCharsets.UTF_8);
        }
        exchange.getResponseHeaders().set("x-amzn-RequestId", requestId);
        exchange.sendResponseHeaders(fault.status, payload.length);
        exchange.getResponseBody().write(payload);
        return fault.status;
    }

    private static String serviceOf(HttpExchange exchange) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization == null) {
            return "unknown";
        }
        Matcher matcher = CREDENTIAL_SCOPE.matcher(authorization);
        return matcher.find() ? matcher.group(1) : "unknown";
    }

    private static String actionOf(HttpExchange exchange, byte[] body) {
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        if (target != null) {
            return target.substring(target.lastIndexOf('.') + 1);
        }
        String form = new String(body, StandardCharsets.UTF_8);
        String query = exchange.getRequestURI().getRawQuery();
        for (String source : new String[] {form, query == null ? "" : query}) {
            for (String pair : source.split("&")) {
                if (pair.startsWith("Action=")) {
                    return URLDecoder.decode(pair.substring("Action=".length()), StandardCharsets.UTF_8);
                }
            }
        }
        return exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
    }

    private static void requireLoopback(URI uri) {
        try {
            if (!InetAddress.getByName(uri.getHost()).isLoopbackAddress()) {
                throw new IllegalArgumentException("the fault proxy forwards only to loopback addresses, not "
                        + uri);
            }
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("unknown upstream host in " + uri, e);
        }
    }

    /** Credential-scope names of the services whose APIs use the JSON protocol and {@code X-Amz-Target}. */
    private static final Set<String> JSON_SERVICES = Set.of("dynamodb", "events", "sqs", "sts", "logs");

    /** The prefixes of actions that change a resource; {@link Request#mutating()} uses them. */
    private static final List<String> MUTATING_PREFIXES = List.of("Modify", "Create", "Put", "Detach",
            "Deregister", "Disassociate", "Revoke", "Authorize", "EnterStandby", "Delete", "Attach", "Associate",
            "Register", "Terminate", "Stop");

    /** The services whose resources isolation changes. Calls to the ledger and the event bus are not counted. */
    private static final Set<String> RESOURCE_SERVICES = Set.of("ec2", "autoscaling", "elasticloadbalancing",
            "iam");

    /** A fault the proxy injects in place of forwarding a request and returning its response. */
    public enum Fault {
        /** HTTP 400 with the service's throttling code: {@code RequestLimitExceeded} in EC2. */
        THROTTLING(400, "Rate exceeded", Map.of("ec2", "RequestLimitExceeded"), "Throttling",
                "ThrottlingException"),
        /** HTTP 500 with the service's internal error code. */
        INTERNAL_ERROR(500, "We encountered an internal error. Please try again.",
                Map.of("ec2", "InternalError", "iam", "ServiceFailure", "dynamodb", "InternalServerError",
                        "events", "InternalException"), "InternalFailure", "InternalFailure"),
        /** HTTP 503 with the service's unavailable code: {@code Unavailable} in EC2. */
        UNAVAILABLE(503, "The service is unavailable. Please try again shortly.", Map.of("ec2", "Unavailable"),
                "ServiceUnavailable", "ServiceUnavailable"),
        /** HTTP 403: {@code UnauthorizedOperation} in EC2, {@code AccessDenied} in other Query APIs. */
        ACCESS_DENIED(403, "You are not authorized to perform this operation.",
                Map.of("ec2", "UnauthorizedOperation"), "AccessDenied", "AccessDeniedException"),
        /** No response: the request is not forwarded but held for the hold time, then its connection dropped. */
        TIMEOUT(0, "", Map.of(), "", ""),
        /** The request is forwarded and takes effect, but its response is held back and the connection dropped. */
        RESPONSE_LOST(0, "", Map.of(), "", "");

        private final int status;
        private final String message;
        private final Map<String, String> codeByService;
        private final String queryCode;
        private final String jsonCode;

        Fault(int status, String message, Map<String, String> codeByService, String queryCode, String jsonCode) {
            this.status = status;
            this.message = message;
            this.codeByService = codeByService;
            this.queryCode = queryCode;
            this.jsonCode = jsonCode;
        }

        /** Returns the error code this fault carries in the given service's responses. */
        public String code(String service) {
            String specific = codeByService.get(service);
            if (specific != null) {
                return specific;
            }
            return JSON_SERVICES.contains(service) ? jsonCode : queryCode;
        }

        String message() {
            return message;
        }
    }

    /**
     * A selection of requests and the fault they get: an action, optionally in one service, the number of matching
     * requests to let through first, and the number to fail after those (unlimited unless set).
     */
    public static final class Rule {

        private final String service;
        private final String action;
        private final AtomicInteger toSkip = new AtomicInteger();
        private final AtomicInteger remaining = new AtomicInteger(Integer.MAX_VALUE);
        private volatile Fault fault = Fault.UNAVAILABLE;

        private Rule(String service, String action) {
            this.service = service;
            this.action = action;
        }

        /**
         * Returns a rule for an action, written {@code CreateSnapshot} for any service or {@code ec2:CreateTags}
         * for one service (the service as named in SigV4 credential scopes).
         */
        public static Rule on(String action) {
            int colon = action.indexOf(':');
            return colon < 0 ? new Rule(null, action) : new Rule(action.substring(0, colon),
                    action.substring(colon + 1));
        }

        /** Lets the first {@code count} matching requests through before the rule applies. */
        public Rule skip(int count) {
            toSkip.set(count);
            return this;
        }

        /** Applies the rule to this many matching requests, then lets the rest through. */
        public Rule first(int count) {
            remaining.set(count);
            return this;
        }

        /** Sets the fault. A rule fails requests with {@link Fault#UNAVAILABLE} unless this sets another. */
        public Rule with(Fault newFault) {
            this.fault = newFault;
            return this;
        }

        public Fault fault() {
            return fault;
        }

        private boolean claim(String requestService, String requestAction) {
            if (!action.equals(requestAction) || service != null && !service.equals(requestService)) {
                return false;
            }
            if (toSkip.getAndUpdate(count -> Math.max(0, count - 1)) > 0) {
                return false;
            }
            if (remaining.getAndUpdate(count -> count == Integer.MAX_VALUE ? count : Math.max(0, count - 1)) <= 0) {
                return false;
            }
            return true;
        }
    }

    /**
     * One request the proxy responded to or dropped.
     *
     * @param service the service as named in the SigV4 credential scope, for example {@code ec2}
     * @param action the API action, for example {@code CreateSnapshot}
     * @param status the HTTP status the client received, or {@link #DROPPED}
     * @param fault the fault the proxy injected, or {@code null} when it forwarded the request and its
     *     response
     */
    public record Request(String service, String action, int status, Fault fault) {

        /** Returns whether the call changes a resource that isolation acts on (EC2, Auto Scaling, ELB or IAM). */
        public boolean mutating() {
            return RESOURCE_SERVICES.contains(service)
                    && MUTATING_PREFIXES.stream().anyMatch(action::startsWith);
        }
    }
}

package org.rapidsrivers.cli.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.rapidsrivers.cli.operate.StatusReport;
import org.rapidsrivers.cli.operate.Topology;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.Printable;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.names.Topic;
import org.rapidsrivers.core.operate.RapidsTail;
import org.rapidsrivers.core.operate.RiverStatus;
import org.rapidsrivers.core.stage.Backend;

/**
 * Understands the live page of one stage: an HTTP server on 127.0.0.1 only, serving the page and its
 * assets from the jar (Cytoscape.js from its WebJar: nothing from a CDN), the topology and the status
 * as JSON, and the last events seen on the rapids with the rivers their type flows into. Every call on
 * the backend is made on one thread, so the page never runs two at once against it.
 */
public final class LivePage implements AutoCloseable {
    /** The header the page's reads carry its token in. */
    public static final String TOKEN_HEADER = "X-RR-Token";
    private final String token = newToken();
    private static final int KEPT_EVENTS = 100;
    private static final Duration TAIL_EVERY = Duration.ofMillis(500);
    private static final Duration ROUTES_EVERY = Duration.ofSeconds(5);
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8");

    private final Backend backend;
    private final HttpServer server;
    private final ExecutorService backendThread = Executors.newSingleThreadExecutor(daemon("rr-ui-backend"));
    private final ScheduledExecutorService tailing = Executors.newSingleThreadScheduledExecutor(daemon("rr-ui-tail"));
    private final Deque<ObjectNode> events = new ArrayDeque<>();
    private final String cytoscape;
    private volatile Map<Topic, List<String>> routes = Map.of();
    private volatile Instant routesAt = Instant.EPOCH;
    private long nextEvent = 1;

    private LivePage(Backend backend, HttpServer server) {
        this.backend = backend;
        this.server = server;
        this.cytoscape = webJarAsset("cytoscape", "dist/cytoscape.min.js");
    }

    /** Starts serving on 127.0.0.1:{@code port}; refuses a busy port with one line. */
    public static LivePage start(Backend backend, int port) {
        if (port < 0 || port > 65535) {
            throw new InvalidInput("--port must be between 1 and 65535, or 0 for any free port");
        }
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        } catch (BindException busy) {
            throw new InvalidInput("port " + port + " on 127.0.0.1 is busy (another rr ui?): choose another with --port");
        } catch (IOException e) {
            throw new InvalidInput("cannot listen on 127.0.0.1:" + port + ": " + e.getMessage());
        }
        LivePage page = new LivePage(backend, server);
        RapidsTail tail = page.onBackend(() -> backend.operations().tail());
        server.createContext("/", page::serve);
        server.setExecutor(Executors.newFixedThreadPool(4, daemon("rr-ui-http")));
        page.tailing.scheduleWithFixedDelay(() -> page.follow(tail), 0, TAIL_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        server.start();
        return page;
    }

    /** The page's address, with the token its reads must carry (said to the operator alone, on their terminal). */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/?token=" + token;
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod())) {
                send(exchange, 405, "text/plain", "only GET".getBytes(StandardCharsets.UTF_8));
                return;
            }
            String refused = strangers(exchange);
            if (refused != null) {
                send(exchange, 403, "text/plain", refused.getBytes(StandardCharsets.UTF_8));
                return;
            }
            String path = exchange.getRequestURI().getPath();
            if (path.startsWith("/api/") && !carriesTheToken(exchange)) {
                send(exchange, 403, "text/plain", ("refused: a read of the stage needs the page's token (open the address"
                        + " rr ui printed; another user of this machine cannot read it)").getBytes(StandardCharsets.UTF_8));
                return;
            }
            switch (path) {
                case "/", "/index.html" -> asset(exchange, "index.html");
                case "/app.js" -> asset(exchange, "app.js");
                case "/style.css" -> asset(exchange, "style.css");
                case "/lib/cytoscape.min.js" -> resource(exchange, cytoscape, "js");
                case "/api/status" -> json(exchange, onBackend(this::status));
                case "/api/topology" -> json(exchange, onBackend(() -> Topology.of(backend, Duration.ofHours(1), Instant.now())
                        .toJson().put("stage", backend.stage().value())));
                case "/api/events" -> json(exchange, eventsAfter(exchange.getRequestURI().getQuery()));
                default -> send(exchange, 404, "text/plain", "not found".getBytes(StandardCharsets.UTF_8));
            }
        } catch (RuntimeException failed) {
            byte[] body = Json.compact(Json.object().put("error", String.valueOf(failed.getMessage()))).getBytes(StandardCharsets.UTF_8);
            send(exchange, 503, "application/json", body);
        }
    }

    /** Reads what was published since the last look, and notes where each event's type flows. */
    private void follow(RapidsTail tail) {
        try {
            List<String> texts = onBackend(tail::poll);
            // the open page's status calls keep the routes fresh; with no page open, look only when needed
            if (!texts.isEmpty() && Duration.between(routesAt, Instant.now()).compareTo(ROUTES_EVERY) > 0) {
                onBackend(() -> noteRoutes(backend.operations().rivers()));
            }
            for (String text : texts) {
                remember(text);
            }
        } catch (RuntimeException unavailable) {
            // the next look tries again; the page shows the status call's error meanwhile
        }
    }

    private JsonNode status() {
        StatusReport report = StatusReport.of(backend, List.of(), Clock.systemUTC());
        noteRoutes(report.rivers());
        return report.toJson();
    }

    /** Which rivers each topic flows into, as the rivers just read say. */
    private Void noteRoutes(List<RiverStatus> rivers) {
        Map<Topic, List<String>> byTopic = new TreeMap<>();
        for (RiverStatus river : rivers) {
            for (Topic topic : river.topics()) {
                byTopic.computeIfAbsent(topic, t -> new ArrayList<>()).add(river.river().value());
            }
        }
        routes = byTopic;
        routesAt = Instant.now();
        return null;
    }

    private synchronized void remember(String text) {
        ObjectNode event = Json.object().put("n", nextEvent++);
        try {
            JsonNode envelope = Json.parse(text);
            String type = envelope.path("eventType").asText("");
            event.put("eventId", envelope.path("eventId").asText("")).put("type", type)
                    .put("domain", envelope.path("eventDomain").asText("")).put("timestamp", envelope.path("timestamp").asText(""));
            ArrayNode rivers = event.putArray("rivers");
            if (Topic.isValid(type)) {
                routes.getOrDefault(Topic.of(type), List.of()).forEach(rivers::add);
            }
        } catch (RuntimeException notAnEvent) {
            event.put("type", "(not an event: the fan-out dead-letters it)").putArray("rivers");
        }
        events.addLast(event);
        while (events.size() > KEPT_EVENTS) {
            events.removeFirst();
        }
    }

    private synchronized ObjectNode eventsAfter(String query) {
        long after = 0;
        if (query != null && query.startsWith("after=")) {
            try {
                after = Long.parseLong(query.substring("after=".length()));
            } catch (NumberFormatException ignored) {
                // from the start of what is kept
            }
        }
        ObjectNode json = Json.object();
        // what came after the caller's last event but is no longer kept: counted, never dropped silently
        long oldestKept = events.isEmpty() ? nextEvent : events.getFirst().get("n").asLong();
        long skipped = after > 0 ? Math.max(0, oldestKept - after - 1) : 0;
        json.put("skipped", skipped).put("kept", KEPT_EVENTS);
        ArrayNode list = json.putArray("events");
        for (ObjectNode event : events) {
            if (event.get("n").asLong() > after) {
                list.add(event);
            }
        }
        return json;
    }

    private <T> T onBackend(Callable<T> call) {
        try {
            return backendThread.submit(call).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the stage did not answer within 30 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    private static void asset(HttpExchange exchange, String name) throws IOException {
        resource(exchange, "ui/" + name, name.substring(name.lastIndexOf('.') + 1));
    }

    private static void resource(HttpExchange exchange, String path, String kind) throws IOException {
        try (InputStream in = LivePage.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                send(exchange, 404, "text/plain", ("missing from the jar: " + path).getBytes(StandardCharsets.UTF_8));
                return;
            }
            send(exchange, 200, TYPES.get(kind), in.readAllBytes());
        }
    }

    private static void json(HttpExchange exchange, JsonNode body) throws IOException {
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        send(exchange, 200, "application/json", Json.compact(body).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Why a request does not come from this machine's own page, or null when it does: the Host must name the
     * address the page listens on (a page of another site that rebinds its name to 127.0.0.1 sends its own
     * name), and an Origin, when a browser sends one, must be the page's. Every read may make AWS calls with
     * the operator's credentials, so nothing else is answered.
     */
    private String strangers(HttpExchange exchange) {
        int port = server.getAddress().getPort();
        Set<String> ours = Set.of("127.0.0.1:" + port, "localhost:" + port);
        String host = exchange.getRequestHeaders().getFirst("Host");
        if (host == null || !ours.contains(host.toLowerCase(Locale.ROOT))) {
            return "refused: the Host header must be 127.0.0.1:" + port + " or localhost:" + port + " (this page answers only"
                    + " itself, not a site whose name leads here)";
        }
        String origin = exchange.getRequestHeaders().getFirst("Origin");
        if (origin != null && !origin.equals("http://127.0.0.1:" + port) && !origin.equals("http://localhost:" + port)) {
            return "refused: a request from another origin (" + Printable.of(origin) + ")";
        }
        return null;
    }

    /**
     * The page's own reads carry its token (header {@value #TOKEN_HEADER}): any local user can reach a port on
     * 127.0.0.1, and only the operator saw the address with the token.
     */
    private boolean carriesTheToken(HttpExchange exchange) {
        String given = exchange.getRequestHeaders().getFirst(TOKEN_HEADER);
        return given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8));
    }

    private static String newToken() {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        // its own scripts and requests only, and never inside another site's frame; inline styles are allowed
        // since Cytoscape.js sets its own (a style cannot run code)
        exchange.getResponseHeaders().set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline';"
                + " img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
        exchange.getResponseHeaders().set("X-Frame-Options", "DENY");
        exchange.getResponseHeaders().set("Referrer-Policy", "no-referrer");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** Where a WebJar keeps a file, from the version its own Maven metadata names. */
    private static String webJarAsset(String name, String file) {
        Properties pom = new Properties();
        try (InputStream in = LivePage.class.getClassLoader()
                .getResourceAsStream("META-INF/maven/org.webjars.npm/" + name + "/pom.properties")) {
            if (in == null) {
                throw new IllegalStateException("the " + name + " WebJar is missing from rr.jar (rebuild with mvn package)");
            }
            pom.load(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the " + name + " WebJar: " + e.getMessage(), e);
        }
        return "META-INF/resources/webjars/" + name + "/" + pom.getProperty("version") + "/" + file;
    }

    private static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public void close() {
        server.stop(0);
        tailing.shutdownNow();
        backendThread.shutdownNow();
    }
}

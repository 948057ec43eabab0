package dev.quell.cli;

import com.sun.net.httpserver.HttpServer;
import dev.quell.core.response.ResponseResult;
import dev.quell.notify.slack.Delivery;
import dev.quell.notify.slack.SlackSender;
import dev.quell.notify.slack.SlackText;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Shows each result as the Slack message the notify function would post, and posts it to an incoming webhook
 * when one is given. The demo can start a local receiver on loopback that takes Slack's place.
 */
final class SlackOutput implements AutoCloseable {

    private final PrintStream out;
    private final Optional<SlackSender> sender;
    private final HttpServer receiver;
    private final AtomicInteger received = new AtomicInteger();

    private SlackOutput(PrintStream out, Optional<String> webhook, HttpServer receiver) {
        this.out = out;
        this.sender = webhook.map(SlackSender::forWebhook);
        this.receiver = receiver;
    }

    /** Prints messages, and posts them to the webhook when one is given. */
    static SlackOutput printing(PrintStream out, Optional<String> webhook) {
        return new SlackOutput(out, webhook, null);
    }

    /** Prints messages and posts them to a receiver on a free loopback port, which counts what arrives. */
    static SlackOutput withLocalReceiver(PrintStream out) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            SlackOutput output = new SlackOutput(out, Optional.of("http://127.0.0.1:" + server.getAddress().getPort()
                    + "/services/local"), server);
            server.createContext("/services/", exchange -> {
                exchange.getRequestBody().readAllBytes();
                output.received.incrementAndGet();
                byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the local Slack receiver on loopback", e);
        }
    }

    void show(ResponseResult result) {
        out.println("  Slack message:");
        SlackText.render(result).lines().forEach(line -> out.println("  | " + line));
        post(result);
    }

    /** Posts the message to the webhook, when one is given, and prints the delivery. */
    void post(ResponseResult result) {
        sender.ifPresent(slack -> {
            Delivery delivery = slack.report(result, Map.of());
            out.println("  posted to Slack: " + delivery.status()
                    + (delivery.detail() == null ? "" : " (" + delivery.detail() + ")"));
        });
    }

    @Override
    public void close() {
        if (receiver != null) {
            receiver.stop(0);
            out.println("\nthe local Slack receiver got " + received.get() + " message(s)");
        }
    }
}

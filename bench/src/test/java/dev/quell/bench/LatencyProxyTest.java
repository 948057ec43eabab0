package dev.quell.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LatencyProxyTest {

    @Test
    void operationFromQueryBodyOrTargetHeader() {
        byte[] query = "Action=DescribeInstances&Version=2016-11-15".getBytes(StandardCharsets.UTF_8);

        assertThat(LatencyProxy.operation(null, query)).isEqualTo("DescribeInstances");
        assertThat(LatencyProxy.operation("DynamoDB_20120810.UpdateItem", new byte[0])).isEqualTo("UpdateItem");
        assertThat(LatencyProxy.operation(null, new byte[0])).isEqualTo("unknown");
    }

    @Test
    void forwardsAfterDelayAndRecords() throws Exception {
        HttpServer target = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        target.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().add("x-amzn-RequestId", "r-1");
            exchange.sendResponseHeaders(400, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        target.start();
        try (LatencyProxy proxy = LatencyProxy.start(URI.create("http://127.0.0.1:" + target.getAddress().getPort()),
                40)) {
            HttpURLConnection connection = (HttpURLConnection) proxy.endpoint().resolve("/").toURL().openConnection();
            connection.setRequestMethod("POST");
            connection.setDoOutput(true);
            connection.getOutputStream().write("Action=CreateTags".getBytes(StandardCharsets.UTF_8));
            long start = System.nanoTime();

            int status = connection.getResponseCode();
            String body = new String(connection.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);

            assertThat(status).isEqualTo(400);
            assertThat(body).isEqualTo("Action=CreateTags");
            assertThat(connection.getHeaderField("x-amzn-RequestId")).isEqualTo("r-1");
            assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(40);
            var requests = proxy.drain();
            assertThat(requests).hasSize(1);
            assertThat(requests.get(0).operation()).isEqualTo("CreateTags");
            assertThat(requests.get(0).endMicros() - requests.get(0).startMicros()).isGreaterThanOrEqualTo(40_000);
        } finally {
            target.stop(0);
        }
    }
}

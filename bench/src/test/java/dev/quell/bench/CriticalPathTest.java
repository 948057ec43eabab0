package dev.quell.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quell.bench.LatencyProxy.Request;
import java.util.List;
import org.junit.jupiter.api.Test;

class CriticalPathTest {

    private static Request call(String operation, long start, long end) {
        return new Request(operation, start, end);
    }

    @Test
    void parallelCallsCountAsOneRoundTrip() {
        var path = CriticalPath.of(List.of(
                call("DescribeInstances", 0, 50),
                call("DescribeAutoScalingInstances", 1, 52),
                call("DescribeTargetGroups", 2, 51),
                call("ModifyNetworkInterfaceAttribute", 60, 110)), 0);

        assertThat(path.depth()).isEqualTo(2);
        assertThat(path.callsToIsolation()).isEqualTo(4);
    }

    @Test
    void chainEndsAtLastInterfaceChange() {
        var path = CriticalPath.of(List.of(
                call("DescribeInstances", 0, 50),
                call("ModifyNetworkInterfaceAttribute", 51, 100),
                call("ModifyNetworkInterfaceAttribute", 101, 150),
                call("CreateSnapshot", 151, 200),
                call("PutEvents", 201, 250)), 0);

        assertThat(path.depth()).isEqualTo(3);
        assertThat(path.callsToIsolation()).isEqualTo(3);
        assertThat(path.calls()).isEqualTo(5);
    }

    @Test
    void requestsBeforeWindowAreIgnored() {
        var path = CriticalPath.of(List.of(
                call("DescribeInstances", 0, 50),
                call("DescribeInstances", 100, 150),
                call("ModifyNetworkInterfaceAttribute", 151, 200)), 100);

        assertThat(path.depth()).isEqualTo(2);
        assertThat(path.calls()).isEqualTo(2);
    }

    @Test
    void noInterfaceChangeMeansDepthZero() {
        var path = CriticalPath.of(List.of(call("DescribeInstances", 0, 50)), 0);

        assertThat(path.depth()).isZero();
        assertThat(path.calls()).isEqualTo(1);
    }
}

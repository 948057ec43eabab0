package dev.quell.bench;

import dev.quell.bench.LatencyProxy.Request;
import java.util.Comparator;
import java.util.List;

/**
 * The sequential round trips a response made on its way to network isolation, computed from the proxy's request
 * record.
 *
 * <p>The depth of a request is one more than the largest depth among the requests that ended before it started;
 * the depth of the last security group change ({@code ModifyNetworkInterfaceAttribute}) is the number of round
 * trips that had to finish one after another before the network was cut. Two requests that merely happened one
 * after the other count as a chain too, so the depth is an upper bound on the true dependency depth.
 *
 * @param depth the sequential round trips up to and including the last interface change, 0 when there was none
 * @param callsToIsolation the requests that started before the last interface change ended
 * @param calls every request in the window
 */
public record CriticalPath(int depth, int callsToIsolation, int calls) {

    static final String SWAP_OPERATION = "ModifyNetworkInterfaceAttribute";

    /** Computes the path over the requests that started at or after {@code fromMicros}. */
    public static CriticalPath of(List<Request> requests, long fromMicros) {
        List<Request> window = requests.stream()
                .filter(request -> request.startMicros() >= fromMicros)
                .sorted(Comparator.comparingLong(Request::startMicros))
                .toList();
        int[] depths = new int[window.size()];
        int swapIndex = -1;
        for (int i = 0; i < window.size(); i++) {
            int deepest = 0;
            for (int j = 0; j < i; j++) {
                if (window.get(j).endMicros() <= window.get(i).startMicros()) {
                    deepest = Math.max(deepest, depths[j]);
                }
            }
            depths[i] = deepest + 1;
            if (SWAP_OPERATION.equals(window.get(i).operation())
                    && (swapIndex < 0 || window.get(i).endMicros() >= window.get(swapIndex).endMicros())) {
                swapIndex = i;
            }
        }
        if (swapIndex < 0) {
            return new CriticalPath(0, 0, window.size());
        }
        long isolatedAt = window.get(swapIndex).endMicros();
        int beforeIsolation = (int) window.stream().filter(request -> request.startMicros() < isolatedAt).count();
        return new CriticalPath(depths[swapIndex], beforeIsolation, window.size());
    }
}

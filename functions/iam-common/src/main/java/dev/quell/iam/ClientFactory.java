package dev.quell.iam;

import dev.quell.core.aws.AwsClients;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.regions.Region;

/**
 * A source of service clients for an account and region. {@link AwsClients} is the one the functions use; tests
 * pass one that also records each call.
 */
@FunctionalInterface
public interface ClientFactory {

    /**
     * Returns a client of one service for an account and region.
     *
     * @param builder a supplier of the service's client builder, for example {@code IamClient::builder}
     */
    <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C client(Supplier<B> builder, String account,
            Region region);

    /** Returns the factory backed by the process's cached clients. */
    static ClientFactory of(AwsClients clients) {
        return clients::client;
    }
}

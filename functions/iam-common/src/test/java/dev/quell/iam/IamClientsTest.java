package dev.quell.iam;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quell.core.aws.AwsClients;
import dev.quell.testkit.SeededAccount;
import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;

class IamClientsTest {

    private final AwsClients clients = new AwsClients(SeededAccount.credentials(),
            Optional.of(URI.create("http://127.0.0.1:9")), SeededAccount.ACCOUNT, null);

    @AfterEach
    void close() {
        clients.close();
    }

    @Test
    void forAccount_signsForAwsGlobal() {
        IamClient iam = IamClients.forAccount(ClientFactory.of(clients), SeededAccount.ACCOUNT, "eu-west-1");

        assertThat(iam.serviceClientConfiguration().region()).isEqualTo(Region.AWS_GLOBAL);
    }

    @Test
    void forAccount_signsForChinaGlobal() {
        IamClient iam = IamClients.forAccount(ClientFactory.of(clients), SeededAccount.ACCOUNT, "cn-north-1");

        assertThat(iam.serviceClientConfiguration().region()).isEqualTo(Region.AWS_CN_GLOBAL);
    }

    @Test
    void forAccount_signsForGovCloudGlobal() {
        IamClient iam = IamClients.forAccount(ClientFactory.of(clients), SeededAccount.ACCOUNT, "us-gov-west-1");

        assertThat(iam.serviceClientConfiguration().region()).isEqualTo(Region.AWS_US_GOV_GLOBAL);
    }

    @Test
    void forAccount_reusesCachedClient() {
        IamClient first = IamClients.forAccount(ClientFactory.of(clients), SeededAccount.ACCOUNT, "eu-west-1");
        IamClient second = IamClients.forAccount(ClientFactory.of(clients), SeededAccount.ACCOUNT, "us-east-1");

        assertThat(second).isSameAs(first);
    }

    @Test
    void partition_fromFindingOrRegion() {
        assertThat(IamClients.partition("aws-cn", "cn-north-1")).isEqualTo("aws-cn");
        assertThat(IamClients.partition(null, "cn-northwest-1")).isEqualTo("aws-cn");
        assertThat(IamClients.partition("", "us-gov-east-1")).isEqualTo("aws-us-gov");
        assertThat(IamClients.partition(null, "eu-west-1")).isEqualTo("aws");
    }
}

package dev.quell.core.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

class AwsClientsTest {

    @Test
    void iamRegion_isPartitionGlobalRegion() {
        Map<Region, Region> expected = Map.of(
                Region.US_EAST_1, Region.AWS_GLOBAL,
                Region.EU_WEST_1, Region.AWS_GLOBAL,
                Region.AP_SOUTHEAST_2, Region.AWS_GLOBAL,
                Region.CN_NORTH_1, Region.AWS_CN_GLOBAL,
                Region.CN_NORTHWEST_1, Region.AWS_CN_GLOBAL,
                Region.US_GOV_WEST_1, Region.AWS_US_GOV_GLOBAL,
                Region.US_GOV_EAST_1, Region.AWS_US_GOV_GLOBAL);

        expected.forEach((region, global) -> assertThat(AwsClients.iamRegion(region)).as(region.id())
                .isEqualTo(global));
    }

    @Test
    void iamRegion_namesAreThePartitionIds() {
        assertThat(AwsClients.iamRegion(Region.of("us-west-2")).id()).isEqualTo("aws-global");
        assertThat(AwsClients.iamRegion(Region.of("cn-north-1")).id()).isEqualTo("aws-cn-global");
        assertThat(AwsClients.iamRegion(Region.of("us-gov-west-1")).id()).isEqualTo("aws-us-gov-global");
    }
}

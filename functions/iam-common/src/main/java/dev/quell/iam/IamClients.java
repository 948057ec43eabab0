package dev.quell.iam;

import dev.quell.core.aws.AwsClients;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;

/** Builds IAM clients, which sign for the partition's global region whatever region the finding is in. */
public final class IamClients {

    private IamClients() {
    }

    /** Returns the IAM client for an account, signing for the global region of the finding region's partition. */
    public static IamClient forAccount(ClientFactory clients, String account, String findingRegion) {
        return clients.client(IamClient::builder, account, AwsClients.iamRegion(Region.of(findingRegion)));
    }

    /**
     * Returns the partition of a finding: the one it names, else the one its region belongs to, else {@code aws}.
     */
    public static String partition(String findingPartition, String findingRegion) {
        if (findingPartition != null && !findingPartition.isBlank()) {
            return findingPartition;
        }
        Region region = Region.of(findingRegion);
        return region.metadata() == null ? "aws" : region.metadata().partition().id();
    }
}

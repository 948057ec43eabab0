package dev.quell.revoke;

import dev.quell.core.decision.BlastRadius;
import dev.quell.iam.ClientFactory;
import dev.quell.iam.IamErrors;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.Reservation;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.InstanceProfile;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * Counts what uses an IAM role before Quell denies its sessions: running instances associated with an instance
 * profile that carries the role, and Lambda functions whose execution role it is. IAM roles are global, so every
 * region that {@code DescribeRegions} lists as enabled is read, in parallel. A region that cannot be read is named
 * in the result, and the count is then incomplete.
 *
 * <p>Other users of a role, such as ECS tasks, CodeBuild projects or people who assume it, are not counted.
 */
final class BlastRadiusCounter {

    // NOTE: the EC2 API reference states no maximum number of values per filter, but requests with more than 200
    // have been reported rejected, so instance ids go in batches well below that.
    private static final int MAX_FILTER_VALUES = 100;

    private final ClientFactory clients;
    private final String account;
    private final Region home;
    private final Executor executor;

    BlastRadiusCounter(ClientFactory clients, String account, Region home, Executor executor) {
        this.clients = clients;
        this.account = account;
        this.home = home;
        this.executor = executor;
    }

    /** One region's users of the role, or the error that stopped the region from being read. */
    private record RegionUse(String region, List<String> instanceArns, List<String> functionArns, String error) {
    }

    BlastRadius count(IamClient iam, String roleName, String roleArn, String partition) {
        Set<String> profileArns = new HashSet<>();
        iam.listInstanceProfilesForRolePaginator(request -> request.roleName(roleName)).instanceProfiles().stream()
                .map(InstanceProfile::arn)
                .forEach(profileArns::add);
        List<String> unread = new ArrayList<>();
        List<String> regions = regions(unread);
        List<CompletableFuture<RegionUse>> uses = regions.stream()
                .map(region -> CompletableFuture.supplyAsync(() -> useIn(region, profileArns, roleArn, partition),
                        executor))
                .toList();
        List<String> examples = new ArrayList<>();
        int instances = 0;
        int functions = 0;
        for (CompletableFuture<RegionUse> future : uses) {
            RegionUse use = future.join();
            if (use.error() != null) {
                unread.add(use.region() + " (" + use.error() + ")");
                continue;
            }
            instances += use.instanceArns().size();
            functions += use.functionArns().size();
            examples.addAll(use.instanceArns());
            examples.addAll(use.functionArns());
        }
        return new BlastRadius(profileArns.size(), instances, functions, examples, unread);
    }

    /** Returns the account's enabled regions, or only the home region when they cannot be listed. */
    private List<String> regions(List<String> unread) {
        try {
            return clients.client(Ec2Client::builder, account, home).describeRegions().regions().stream()
                    .map(region -> region.regionName())
                    .toList();
        } catch (SdkException e) {
            unread.add("every region but " + home.id() + " (DescribeRegions failed: " + IamErrors.errorCode(e) + ")");
            return List.of(home.id());
        }
    }

    private RegionUse useIn(String region, Set<String> profileArns, String roleArn, String partition) {
        try {
            List<String> instances = profileArns.isEmpty() ? List.of()
                    : runningInstances(clients.client(Ec2Client::builder, account, Region.of(region)), profileArns,
                            region, partition);
            List<String> functions = new ArrayList<>();
            clients.client(LambdaClient::builder, account, Region.of(region)).listFunctionsPaginator(request -> { })
                    .functions().forEach(function -> {
                        if (roleArn.equals(function.role())) {
                            functions.add(function.functionArn());
                        }
                    });
            return new RegionUse(region, instances, functions, null);
        } catch (SdkException e) {
            return new RegionUse(region, List.of(), List.of(), IamErrors.errorCode(e));
        }
    }

    private List<String> runningInstances(Ec2Client ec2, Set<String> profileArns, String region, String partition) {
        List<String> associated = new ArrayList<>();
        ec2.describeIamInstanceProfileAssociationsPaginator(request -> request.filters(
                        Filter.builder().name("state").values("associated").build()))
                .iamInstanceProfileAssociations()
                .forEach(association -> {
                    if (profileArns.contains(association.iamInstanceProfile().arn())) {
                        associated.add(association.instanceId());
                    }
                });
        List<String> running = new ArrayList<>();
        for (int start = 0; start < associated.size(); start += MAX_FILTER_VALUES) {
            List<String> batch = associated.subList(start, Math.min(associated.size(), start + MAX_FILTER_VALUES));
            ec2.describeInstancesPaginator(request -> request.filters(
                            Filter.builder().name("instance-id").values(batch).build(),
                            Filter.builder().name("instance-state-name").values("running").build()))
                    .reservations().stream()
                    .map(Reservation::instances)
                    .flatMap(List::stream)
                    .map(Instance::instanceId)
                    .forEach(id -> running.add("arn:" + partition + ":ec2:" + region + ":" + account + ":instance/"
                            + id));
        }
        return running;
    }
}

package dev.quell.isolate;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;
import software.amazon.awssdk.services.ec2.model.Ipv6Range;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * The two security groups isolation uses in each VPC, found by name or created once and then reused.
 *
 * <p>The all-allow group admits all traffic from and to {@code 0.0.0.0/0} and {@code ::/0}. Moving an interface
 * onto it makes EC2 stop tracking its connections, because a rule that allows everything needs no tracking. The
 * isolation group has no rules at all, not even the default egress rule, so once the interface moves onto it,
 * the now untracked connections are cut. Moving straight to the isolation group would leave tracked connections
 * (an attacker's open shell) alive. Source: the AWS Security Incident Response Guide and the EC2 documentation
 * on untracked connections.
 *
 * <p>In a VPC that has neither group yet, the two are created in parallel, because every call here is on the
 * way to the security group swap.
 */
final class IsolationGroups {

    static final String ISOLATION_NAME = "quell-isolation";
    static final String ALL_ALLOW_NAME = "quell-all-allow";

    /** Group ids by account, region and VPC, kept for the life of the process. */
    private final Map<String, Pair> cache = new ConcurrentHashMap<>();

    /** The two group ids of one VPC. */
    record Pair(String allAllowId, String isolationId) {
    }

    /**
     * Returns the VPC's groups, finding or creating them, and strips any rule someone added to the isolation one.
     *
     * @param executor runs the calls that do not depend on each other in parallel
     */
    Pair forVpc(Ec2Client ec2, String cacheKey, String vpcId, Executor executor) {
        Pair cached = cache.get(cacheKey + "|" + vpcId);
        if (cached != null) {
            return cached;
        }
        Pair pair = findOrCreate(ec2, vpcId, executor);
        cache.put(cacheKey + "|" + vpcId, pair);
        return pair;
    }

    /** Forgets a VPC's groups, after a call reported one of them missing. */
    void forget(String cacheKey, String vpcId) {
        cache.remove(cacheKey + "|" + vpcId);
    }

    private Pair findOrCreate(Ec2Client ec2, String vpcId, Executor executor) {
        List<SecurityGroup> existing = ec2.describeSecurityGroups(request -> request.filters(
                Filter.builder().name("vpc-id").values(vpcId).build(),
                Filter.builder().name("group-name").values(ISOLATION_NAME, ALL_ALLOW_NAME).build()))
                .securityGroups();
        CompletableFuture<String> isolation = CompletableFuture.supplyAsync(() -> named(existing, ISOLATION_NAME)
                .map(group -> stripRules(ec2, group))
                .orElseGet(() -> createIsolation(ec2, vpcId, executor)), executor);
        String allAllow = named(existing, ALL_ALLOW_NAME).map(SecurityGroup::groupId)
                .orElseGet(() -> createAllAllow(ec2, vpcId, executor));
        return new Pair(allAllow, join(isolation));
    }

    private static Optional<SecurityGroup> named(List<SecurityGroup> groups, String name) {
        return groups.stream().filter(group -> name.equals(group.groupName())).findFirst();
    }

    private String createIsolation(Ec2Client ec2, String vpcId, Executor executor) {
        String id = create(ec2, vpcId, ISOLATION_NAME, "Quell isolation: no inbound or outbound rules");
        if (id == null) {
            return findOrCreate(ec2, vpcId, executor).isolationId();
        }
        SecurityGroup created = ec2.describeSecurityGroups(request -> request.groupIds(id)).securityGroups().get(0);
        return stripRules(ec2, created);
    }

    private String createAllAllow(Ec2Client ec2, String vpcId, Executor executor) {
        String id = create(ec2, vpcId, ALL_ALLOW_NAME,
                "Quell isolation, first step: allows all traffic so open connections become untracked");
        if (id == null) {
            return findOrCreate(ec2, vpcId, executor).allAllowId();
        }
        IpPermission everything = IpPermission.builder().ipProtocol("-1")
                .ipRanges(IpRange.builder().cidrIp("0.0.0.0/0").build())
                .ipv6Ranges(Ipv6Range.builder().cidrIpv6("::/0").build())
                .build();
        CompletableFuture<Void> ingress = CompletableFuture.runAsync(() -> ec2.authorizeSecurityGroupIngress(
                request -> request.groupId(id).ipPermissions(everything)), executor);
        IpPermission ipv6Egress = IpPermission.builder().ipProtocol("-1")
                .ipv6Ranges(Ipv6Range.builder().cidrIpv6("::/0").build()).build();
        try {
            ec2.authorizeSecurityGroupEgress(request -> request.groupId(id).ipPermissions(ipv6Egress));
        } catch (Ec2Exception e) {
            if (!"InvalidPermission.Duplicate".equals(InstanceReader.errorCode(e))) {
                throw e;
            }
        }
        join(ingress);
        return id;
    }

    /** Waits for a call and rethrows its own exception, so a step reports the AWS error code, not a wrapper. */
    private static <T> T join(CompletableFuture<T> call) {
        try {
            return call.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** Creates a group and returns its id, or {@code null} when a concurrent run created it first. */
    private static String create(Ec2Client ec2, String vpcId, String name, String description) {
        try {
            return ec2.createSecurityGroup(request -> request.vpcId(vpcId).groupName(name).description(description)
                    .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.SECURITY_GROUP)
                            .tags(Tag.builder().key("quell:managed").value("true").build()).build()))
                    .groupId();
        } catch (Ec2Exception e) {
            if ("InvalidGroup.Duplicate".equals(InstanceReader.errorCode(e))) {
                return null;
            }
            throw e;
        }
    }

    private static String stripRules(Ec2Client ec2, SecurityGroup group) {
        if (!group.ipPermissionsEgress().isEmpty()) {
            ec2.revokeSecurityGroupEgress(request -> request.groupId(group.groupId())
                    .ipPermissions(group.ipPermissionsEgress()));
        }
        if (!group.ipPermissions().isEmpty()) {
            ec2.revokeSecurityGroupIngress(request -> request.groupId(group.groupId())
                    .ipPermissions(group.ipPermissions()));
        }
        return group.groupId();
    }
}

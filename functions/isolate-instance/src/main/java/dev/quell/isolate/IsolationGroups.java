package dev.quell.isolate;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
 */
final class IsolationGroups {

    static final String ISOLATION_NAME = "quell-isolation";
    static final String ALL_ALLOW_NAME = "quell-all-allow";

    /**
     * Threads for preparing groups. Runs wait for a VPC's preparation on threads of the function's bounded pool,
     * so the preparation must not queue behind them there. It happens once per VPC and process.
     */
    private static final ExecutorService PREPARING = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "quell-groups");
        thread.setDaemon(true);
        return thread;
    });

    /** Group ids by account, region and VPC, kept for the life of the process. */
    private final Map<String, Pair> cache = new ConcurrentHashMap<>();

    /** The two group ids of one VPC. */
    record Pair(String allAllowId, String isolationId) {
    }

    /**
     * Returns the VPC's groups, finding or creating them, and makes their rules what isolation needs: none on the
     * isolation group (any rule someone added is revoked), all traffic on the all-allow group. One call looks up
     * both; the two are then prepared in parallel. Concurrent runs in this process wait for one lookup per VPC;
     * runs in other processes may create the same group at the same time, and each step here tolerates the other
     * run's change.
     */
    Pair forVpc(Ec2Client ec2, String cacheKey, String vpcId) {
        return cache.computeIfAbsent(cacheKey + "|" + vpcId, ignored -> findOrCreate(ec2, vpcId, PREPARING));
    }

    /** Starts {@link #forVpc} on the preparation threads. */
    CompletableFuture<Pair> prepare(Ec2Client ec2, String cacheKey, String vpcId) {
        return CompletableFuture.supplyAsync(() -> forVpc(ec2, cacheKey, vpcId), PREPARING);
    }

    /** Forgets a VPC's groups, after a call reported one of them missing. */
    void forget(String cacheKey, String vpcId) {
        cache.remove(cacheKey + "|" + vpcId);
    }

    private static Pair findOrCreate(Ec2Client ec2, String vpcId, Executor executor) {
        List<SecurityGroup> existing = lookUp(ec2, vpcId, ISOLATION_NAME, ALL_ALLOW_NAME);
        var isolation = CompletableFuture.supplyAsync(() -> prepareIsolation(ec2, vpcId,
                named(existing, ISOLATION_NAME), executor), executor);
        var allAllow = CompletableFuture.supplyAsync(() -> prepareAllAllow(ec2, vpcId,
                named(existing, ALL_ALLOW_NAME), executor), executor);
        try {
            CompletableFuture.allOf(isolation, allAllow).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
        return new Pair(allAllow.join(), isolation.join());
    }

    private static List<SecurityGroup> lookUp(Ec2Client ec2, String vpcId, String... names) {
        return ec2.describeSecurityGroups(request -> request.filters(
                Filter.builder().name("vpc-id").values(vpcId).build(),
                Filter.builder().name("group-name").values(names).build())).securityGroups();
    }

    /**
     * Strips an existing isolation group, or creates one and revokes the egress rules a new group starts with:
     * all IPv4 traffic, and all IPv6 traffic in a VPC with an IPv6 range. Each is revoked on its own, so that the
     * one a VPC lacks fails alone.
     */
    private static String prepareIsolation(Ec2Client ec2, String vpcId, Optional<SecurityGroup> existing,
            Executor executor) {
        if (existing.isPresent()) {
            stripRules(ec2, existing.get());
            return existing.get().groupId();
        }
        String created = create(ec2, vpcId, ISOLATION_NAME, "Quell isolation: no inbound or outbound rules");
        if (created == null) {
            SecurityGroup theirs = named(lookUp(ec2, vpcId, ISOLATION_NAME), ISOLATION_NAME).orElseThrow();
            stripRules(ec2, theirs);
            return theirs.groupId();
        }
        inParallel(executor, () -> revokeEgress(ec2, created, allIpv4()),
                () -> revokeEgress(ec2, created, allIpv6()));
        return created;
    }

    /**
     * Completes an existing all-allow group, or creates one and authorizes all traffic in and out. The rules
     * are authorized one by one, so that the egress rule a new group already has fails alone as a duplicate.
     */
    private static String prepareAllAllow(Ec2Client ec2, String vpcId, Optional<SecurityGroup> existing,
            Executor executor) {
        if (existing.isPresent()) {
            allowEverything(ec2, existing.get());
            return existing.get().groupId();
        }
        String created = create(ec2, vpcId, ALL_ALLOW_NAME,
                "Quell isolation, first step: allows all traffic so open connections become untracked");
        if (created == null) {
            SecurityGroup theirs = named(lookUp(ec2, vpcId, ALL_ALLOW_NAME), ALL_ALLOW_NAME).orElseThrow();
            allowEverything(ec2, theirs);
            return theirs.groupId();
        }
        inParallel(executor, () -> authorizeIngress(ec2, created, allIpv4()),
                () -> authorizeIngress(ec2, created, allIpv6()), () -> authorizeEgress(ec2, created, allIpv4()),
                () -> authorizeEgress(ec2, created, allIpv6()));
        return created;
    }

    private static void revokeEgress(Ec2Client ec2, String groupId, IpPermission rule) {
        tolerating("InvalidPermission.NotFound", () -> ec2.revokeSecurityGroupEgress(request -> request
                .groupId(groupId).ipPermissions(rule)));
    }

    private static void authorizeIngress(Ec2Client ec2, String groupId, IpPermission rule) {
        tolerating("InvalidPermission.Duplicate", () -> ec2.authorizeSecurityGroupIngress(request -> request
                .groupId(groupId).ipPermissions(rule)));
    }

    private static void authorizeEgress(Ec2Client ec2, String groupId, IpPermission rule) {
        tolerating("InvalidPermission.Duplicate", () -> ec2.authorizeSecurityGroupEgress(request -> request
                .groupId(groupId).ipPermissions(rule)));
    }

    /** Runs the calls at once on the executor and waits for all; the first failure is thrown. */
    private static void inParallel(Executor executor, Runnable... calls) {
        CompletableFuture<?>[] running = new CompletableFuture<?>[calls.length];
        for (int i = 0; i < calls.length; i++) {
            running[i] = CompletableFuture.runAsync(calls[i], executor);
        }
        try {
            CompletableFuture.allOf(running).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    private static Optional<SecurityGroup> named(List<SecurityGroup> groups, String name) {
        return groups.stream().filter(group -> name.equals(group.groupName())).findFirst();
    }

    /**
     * Adds whichever all-traffic rule, IPv4 or IPv6, inbound or outbound, the group lacks, each on its own: EC2
     * refuses a whole request when one of its rules already exists.
     */
    private static void allowEverything(Ec2Client ec2, SecurityGroup group) {
        if (!allowsAllIpv4(group.ipPermissions())) {
            authorizeIngress(ec2, group.groupId(), allIpv4());
        }
        if (!allowsAllIpv6(group.ipPermissions())) {
            authorizeIngress(ec2, group.groupId(), allIpv6());
        }
        if (!allowsAllIpv4(group.ipPermissionsEgress())) {
            authorizeEgress(ec2, group.groupId(), allIpv4());
        }
        if (!allowsAllIpv6(group.ipPermissionsEgress())) {
            authorizeEgress(ec2, group.groupId(), allIpv6());
        }
    }

    private static boolean allowsAllIpv4(List<IpPermission> rules) {
        return rules.stream().anyMatch(rule -> "-1".equals(rule.ipProtocol())
                && rule.ipRanges().stream().anyMatch(range -> "0.0.0.0/0".equals(range.cidrIp())));
    }

    private static boolean allowsAllIpv6(List<IpPermission> rules) {
        return rules.stream().anyMatch(rule -> "-1".equals(rule.ipProtocol())
                && rule.ipv6Ranges().stream().anyMatch(range -> "::/0".equals(range.cidrIpv6())));
    }

    private static IpPermission allIpv4() {
        return IpPermission.builder().ipProtocol("-1").ipRanges(IpRange.builder().cidrIp("0.0.0.0/0").build()).build();
    }

    private static IpPermission allIpv6() {
        return IpPermission.builder().ipProtocol("-1").ipv6Ranges(Ipv6Range.builder().cidrIpv6("::/0").build())
                .build();
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

    private static void stripRules(Ec2Client ec2, SecurityGroup group) {
        if (!group.ipPermissionsEgress().isEmpty()) {
            tolerating("InvalidPermission.NotFound", () -> ec2.revokeSecurityGroupEgress(request -> request
                    .groupId(group.groupId()).ipPermissions(group.ipPermissionsEgress())));
        }
        if (!group.ipPermissions().isEmpty()) {
            tolerating("InvalidPermission.NotFound", () -> ec2.revokeSecurityGroupIngress(request -> request
                    .groupId(group.groupId()).ipPermissions(group.ipPermissions())));
        }
    }

    /** Runs a call whose given error means another run already made the same change. */
    private static void tolerating(String errorCode, Runnable call) {
        try {
            call.run();
        } catch (Ec2Exception e) {
            if (!errorCode.equals(InstanceReader.errorCode(e))) {
                throw e;
            }
        }
    }
}

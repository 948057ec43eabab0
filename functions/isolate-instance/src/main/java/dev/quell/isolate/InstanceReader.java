package dev.quell.isolate;

import dev.quell.isolate.PreState.AutoScalingMembership;
import dev.quell.isolate.PreState.ProfileAssociation;
import dev.quell.isolate.PreState.TargetRegistration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingInstanceDetails;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.IamInstanceProfileAssociation;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceAttributeName;
import software.amazon.awssdk.services.ec2.model.InstanceBlockDeviceMapping;
import software.amazon.awssdk.services.ec2.model.InstanceNetworkInterface;
import software.amazon.awssdk.services.ec2.model.Reservation;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetTypeEnum;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.Role;

/**
 * Reads an instance and everything attached to it from the live APIs, never from the finding. Independent calls
 * run in parallel: the instance, its Auto Scaling membership, its profile association, its termination
 * protection and the account's target groups in one round. Each call that depends on one of them (the group's
 * capacity, the target health, the profile's roles) starts as soon as that call returns, without waiting for
 * the rest of the round.
 */
final class InstanceReader {

    private final Ec2Clients clients;
    private final Executor executor;

    InstanceReader(Ec2Clients clients, Executor executor) {
        this.clients = clients;
        this.executor = executor;
    }

    /** Returns the instance's current state, or empty when EC2 no longer knows the instance. */
    Optional<PreState> read(String instanceId, String region, String account, String partition) {
        var instance = async(() -> describeInstance(instanceId));
        var capacity = async(() -> autoScalingInstance(instanceId))
                .thenApplyAsync(details -> details.map(this::capacityOf).orElse(null), executor);
        var profile = async(() -> profileAssociation(instanceId))
                .thenApplyAsync(association -> association.map(this::withRoles).orElse(null), executor);
        var protection = async(() -> terminationProtection(instanceId));
        var shutdown = async(() -> shutdownBehavior(instanceId));
        var registrations = async(this::instanceTargetGroups)
                .thenComposeAsync(groups -> registrationsOf(groups, instanceId), executor);
        Optional<Instance> found = instance.join();
        if (found.isEmpty()) {
            return Optional.empty();
        }
        String arn = arn(partition, region, account, instanceId);
        return Optional.of(toPreState(found.get(), arn, capacity.join(), registrations.join(), profile.join(),
                protection.join(), shutdown.join()));
    }

    private static PreState toPreState(Instance instance, String arn, AutoScalingMembership autoScaling,
            List<TargetRegistration> targets, ProfileAssociation profile, boolean protection, String shutdown) {
        Map<String, List<String>> interfaceGroups = new LinkedHashMap<>();
        for (InstanceNetworkInterface eni : instance.networkInterfaces()) {
            interfaceGroups.put(eni.networkInterfaceId(),
                    eni.groups().stream().map(group -> group.groupId()).toList());
        }
        List<String> volumes = instance.blockDeviceMappings().stream()
                .map(InstanceBlockDeviceMapping::ebs)
                .filter(ebs -> ebs != null && ebs.volumeId() != null)
                .map(ebs -> ebs.volumeId())
                .toList();
        Map<String, String> tags = instance.tags().stream()
                .collect(Collectors.toMap(tag -> tag.key(), tag -> tag.value(), (a, b) -> a, LinkedHashMap::new));
        return new PreState(instance.instanceId(), arn, instance.state().nameAsString(), instance.vpcId(), tags,
                interfaceGroups, autoScaling, targets, profile, protection, shutdown, volumes);
    }

    private Optional<Instance> describeInstance(String instanceId) {
        try {
            return clients.ec2().describeInstances(request -> request.instanceIds(instanceId)).reservations()
                    .stream()
                    .map(Reservation::instances)
                    .flatMap(List::stream)
                    .filter(instance -> instanceId.equals(instance.instanceId()))
                    .findFirst();
        } catch (Ec2Exception e) {
            String code = errorCode(e);
            if ("InvalidInstanceID.NotFound".equals(code) || "InvalidInstanceID.Malformed".equals(code)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private Optional<AutoScalingInstanceDetails> autoScalingInstance(String instanceId) {
        return clients.autoScaling().describeAutoScalingInstances(request -> request.instanceIds(instanceId))
                .autoScalingInstances().stream().findFirst();
    }

    private AutoScalingMembership capacityOf(AutoScalingInstanceDetails details) {
        var group = clients.autoScaling().describeAutoScalingGroups(request -> request
                .autoScalingGroupNames(details.autoScalingGroupName())).autoScalingGroups().get(0);
        return new AutoScalingMembership(group.autoScalingGroupName(), group.minSize(), group.maxSize(),
                group.desiredCapacity(), details.lifecycleState());
    }

    private Optional<IamInstanceProfileAssociation> profileAssociation(String instanceId) {
        return clients.ec2().describeIamInstanceProfileAssociations(request -> request.filters(
                        Filter.builder().name("instance-id").values(instanceId).build()))
                .iamInstanceProfileAssociations().stream()
                .filter(association -> "associated".equals(association.stateAsString()))
                .findFirst();
    }

    private ProfileAssociation withRoles(IamInstanceProfileAssociation association) {
        String profileArn = association.iamInstanceProfile().arn();
        String profileName = profileArn.substring(profileArn.lastIndexOf('/') + 1);
        List<String> roles;
        try {
            roles = clients.iam().getInstanceProfile(request -> request.instanceProfileName(profileName))
                    .instanceProfile().roles().stream().map(Role::roleName).toList();
        } catch (NoSuchEntityException e) {
            roles = List.of();
        }
        return new ProfileAssociation(association.associationId(), profileArn, roles);
    }

    private boolean terminationProtection(String instanceId) {
        try {
            Boolean value = clients.ec2().describeInstanceAttribute(request -> request.instanceId(instanceId)
                    .attribute(InstanceAttributeName.DISABLE_API_TERMINATION)).disableApiTermination().value();
            return Boolean.TRUE.equals(value);
        } catch (Ec2Exception e) {
            return false;
        }
    }

    private String shutdownBehavior(String instanceId) {
        try {
            return clients.ec2().describeInstanceAttribute(request -> request.instanceId(instanceId)
                    .attribute(InstanceAttributeName.INSTANCE_INITIATED_SHUTDOWN_BEHAVIOR))
                    .instanceInitiatedShutdownBehavior().value();
        } catch (Ec2Exception e) {
            return null;
        }
    }

    private List<TargetGroup> instanceTargetGroups() {
        List<TargetGroup> groups = new ArrayList<>();
        clients.loadBalancing().describeTargetGroupsPaginator(request -> { }).targetGroups().forEach(group -> {
            if (group.targetType() == null || group.targetType() == TargetTypeEnum.INSTANCE) {
                groups.add(group);
            }
        });
        return groups;
    }

    private CompletableFuture<List<TargetRegistration>> registrationsOf(List<TargetGroup> groups, String instanceId) {
        List<CompletableFuture<List<TargetRegistration>>> lookups = groups.stream()
                .map(group -> async(() -> registrationsIn(group, instanceId)))
                .toList();
        return CompletableFuture.allOf(lookups.toArray(CompletableFuture[]::new))
                .thenApply(ignored -> lookups.stream().flatMap(lookup -> lookup.join().stream()).toList());
    }

    private List<TargetRegistration> registrationsIn(TargetGroup group, String instanceId) {
        return clients.loadBalancing().describeTargetHealth(request -> request
                        .targetGroupArn(group.targetGroupArn()))
                .targetHealthDescriptions().stream()
                .map(TargetHealthDescription::target)
                .filter(target -> instanceId.equals(target.id()))
                .map(TargetDescription::port)
                .map(port -> new TargetRegistration(group.targetGroupArn(), port))
                .toList();
    }

    private <T> CompletableFuture<T> async(java.util.function.Supplier<T> call) {
        return CompletableFuture.supplyAsync(call, executor);
    }

    static String errorCode(software.amazon.awssdk.awscore.exception.AwsServiceException e) {
        return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    }

    /** Returns the instance's ARN. */
    static String arn(String partition, String region, String account, String instanceId) {
        return "arn:" + partition + ":ec2:" + region + ":" + account + ":instance/" + instanceId;
    }
}

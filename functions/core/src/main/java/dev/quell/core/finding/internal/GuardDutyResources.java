package dev.quell.core.finding.internal;

import dev.quell.core.finding.AffectedResource;
import dev.quell.core.finding.AffectedResource.AccessKey;
import dev.quell.core.finding.AffectedResource.Bucket;
import dev.quell.core.finding.AffectedResource.Instance;
import dev.quell.core.finding.AffectedResource.NetworkInterface;
import dev.quell.core.finding.AffectedResource.Other;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Maps a GuardDuty {@code resource} object, in camelCase or PascalCase, to the resources Quell can act on.
 *
 * <p>{@code resourceType} decides which detail blocks count. GuardDuty's sample findings fill in
 * {@code instanceDetails} for every resource type, so an {@code AccessKey} finding yields an {@link Instance} only
 * when its type is {@code InstanceCredentialExfiltration}, where the instance whose credentials leaked matters.
 * An {@link Instance} is only ever built with an instance id, because responders cannot act on one without it.
 */
public final class GuardDutyResources {

    private static final String INSTANCE = "Instance";
    private static final String ACCESS_KEY = "AccessKey";

    /** The details field, then the identifier fields in order of preference, of each type kept as {@link Other}. */
    private static final Map<String, List<String>> OTHER_IDENTIFIERS = Map.of(
            "Container", List.of("containerDetails", "id", "name"),
            "EKSCluster", List.of("eksClusterDetails", "arn", "name"),
            "ECSCluster", List.of("ecsClusterDetails", "arn", "name"),
            "RDSDBInstance", List.of("rdsDbInstanceDetails", "dbInstanceArn", "dbInstanceIdentifier"),
            "Lambda", List.of("lambdaDetails", "functionArn", "functionName"));

    private GuardDutyResources() {
    }

    /** Returns the resources the finding names, or an empty list when it has no {@code resourceType}. */
    public static List<AffectedResource> read(Node resource, String findingType) {
        String rawType = resource.field("resourceType").text();
        if (rawType == null) {
            return List.of();
        }
        List<AffectedResource> resources = new ArrayList<>();
        switch (rawType) {
            case INSTANCE -> resources.add(orOther(instance(resource), resource, rawType));
            case ACCESS_KEY -> addAccessKeyFinding(resources, resource, findingType);
            case "S3Bucket" -> addBucketFinding(resources, resource);
            case "Container" -> {
                resources.add(other(resource, rawType));
                instance(resource).ifPresent(resources::add);
            }
            default -> resources.add(other(resource, rawType));
        }
        return resources;
    }

    private static void addAccessKeyFinding(List<AffectedResource> resources, Node resource, String findingType) {
        resources.add(orOther(accessKey(resource), resource, ACCESS_KEY));
        if (findingType.contains("InstanceCredentialExfiltration")) {
            instance(resource).ifPresent(resources::add);
        }
    }

    private static void addBucketFinding(List<AffectedResource> resources, Node resource) {
        for (Node bucket : resource.field("s3BucketDetails").objects()) {
            resources.add(new Bucket("S3Bucket", bucket.field("name").text(), bucket.field("arn").text()));
        }
        if (resources.isEmpty()) {
            resources.add(other(resource, "S3Bucket"));
        }
        accessKey(resource).ifPresent(resources::add);
    }

    private static AffectedResource orOther(Optional<? extends AffectedResource> found, Node resource,
            String rawType) {
        return found.isPresent() ? found.get() : other(resource, rawType);
    }

    private static Optional<Instance> instance(Node resource) {
        Node details = resource.field("instanceDetails");
        String instanceId = details.field("instanceId").optionalText();
        if (instanceId == null) {
            return Optional.empty();
        }
        String profileArn = details.field("iamInstanceProfile").field("arn").text();
        return Optional.of(new Instance(INSTANCE, instanceId, profileArn,
                networkInterfaces(details.field("networkInterfaces")), tags(details.field("tags"))));
    }

    private static List<NetworkInterface> networkInterfaces(Node interfaces) {
        List<NetworkInterface> result = new ArrayList<>();
        for (Node eni : interfaces.objects()) {
            List<String> groupIds = eni.field("securityGroups").objects().stream()
                    .map(group -> group.field("groupId").text())
                    .filter(id -> id != null)
                    .toList();
            result.add(new NetworkInterface(eni.field("networkInterfaceId").text(), eni.field("vpcId").text(),
                    eni.field("subnetId").text(), groupIds));
        }
        return result;
    }

    /** Reads GuardDuty's {@code [{"key": ..., "value": ...}]} tag list; a tag without a value gets "". */
    static Map<String, String> tags(Node tagList) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (Node tag : tagList.objects()) {
            String key = tag.field("key").text();
            if (key != null) {
                String value = tag.field("value").text();
                tags.put(key, value == null ? "" : value);
            }
        }
        return tags;
    }

    private static Optional<AccessKey> accessKey(Node resource) {
        Node details = resource.field("accessKeyDetails");
        if (!details.isObject()) {
            return Optional.empty();
        }
        return Optional.of(new AccessKey(ACCESS_KEY, details.field("accessKeyId").optionalText(),
                details.field("principalId").text(), details.field("userName").text(),
                details.field("userType").text()));
    }

    /**
     * Returns an {@link Other} identified from the resource type's details block, for example
     * {@code eksClusterDetails.arn}. Types without a table entry try {@code <type>Details} with {@code arn},
     * {@code id} and {@code name}.
     */
    private static Other other(Node resource, String rawType) {
        List<String> lookup = OTHER_IDENTIFIERS.getOrDefault(rawType, defaultLookup(rawType));
        Node details = resource.field(lookup.get(0));
        for (String field : lookup.subList(1, lookup.size())) {
            String identifier = details.field(field).text();
            if (identifier != null) {
                return new Other(rawType, identifier);
            }
        }
        return new Other(rawType, null);
    }

    private static List<String> defaultLookup(String rawType) {
        String detailsField = Character.toLowerCase(rawType.charAt(0)) + rawType.substring(1) + "Details";
        return List.of(detailsField, "arn", "id", "name");
    }
}

package dev.quell.core.finding.internal;

import dev.quell.core.finding.AffectedResource;
import dev.quell.core.finding.AffectedResource.AccessKey;
import dev.quell.core.finding.AffectedResource.Bucket;
import dev.quell.core.finding.AffectedResource.Instance;
import dev.quell.core.finding.AffectedResource.NetworkInterface;
import dev.quell.core.finding.AffectedResource.Other;
import dev.quell.core.finding.AffectedResource.Role;
import dev.quell.core.finding.AffectedResource.User;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps ASFF {@code Resources[]} entries to the resources Quell can act on. Instances, access keys, IAM roles and
 * users, and S3 buckets get their own kinds, and every other type is kept as {@link Other} with its {@code Id}.
 * Entries without a {@code Type} are skipped, because ASFF requires one and nothing could be done with them.
 */
public final class AsffResources {

    private static final String ACCESS_KEY_ID_PREFIX = "AWS::IAM::AccessKey:";

    private AsffResources() {
    }

    public static List<AffectedResource> read(Node resources, ProductFields productFields) {
        List<AffectedResource> result = new ArrayList<>();
        for (Node resource : resources.objects()) {
            String type = resource.field("Type").text();
            if (type != null) {
                result.add(read(type, resource, productFields));
            }
        }
        return result;
    }

    private static AffectedResource read(String type, Node resource, ProductFields productFields) {
        String id = resource.field("Id").optionalText();
        Node details = resource.field("Details").field(type);
        return switch (type) {
            case "AwsEc2Instance" -> instance(type, id, details, resource.field("Tags"));
            case "AwsIamAccessKey" -> accessKey(type, id, details, productFields);
            case "AwsIamRole" -> new Role(type, firstNonBlank(details.field("RoleName").text(), nameFromArn(id)), id);
            case "AwsIamUser" -> new User(type, firstNonBlank(details.field("UserName").text(), nameFromArn(id)), id);
            case "AwsS3Bucket" -> bucket(type, id);
            default -> new Other(type, id);
        };
    }

    private static AffectedResource instance(String type, String id, Node details, Node tags) {
        String instanceId = instanceIdFrom(id);
        if (instanceId == null) {
            return new Other(type, id);
        }
        return new Instance(type, instanceId, details.field("IamInstanceProfileArn").text(),
                networkInterfaces(details), tagMap(tags));
    }

    /**
     * Returns one interface per {@code NetworkInterfaces} entry, each with the instance's VPC and subnet because
     * ASFF records those per instance. Without entries, one interface with no id carries the VPC and subnet.
     */
    private static List<NetworkInterface> networkInterfaces(Node details) {
        String vpcId = details.field("VpcId").text();
        String subnetId = details.field("SubnetId").text();
        List<NetworkInterface> interfaces = new ArrayList<>();
        for (Node eni : details.field("NetworkInterfaces").objects()) {
            interfaces.add(new NetworkInterface(eni.field("NetworkInterfaceId").text(), vpcId, subnetId, List.of()));
        }
        if (interfaces.isEmpty() && (vpcId != null || subnetId != null)) {
            interfaces.add(new NetworkInterface(null, vpcId, subnetId, List.of()));
        }
        return interfaces;
    }

    /** Reads ASFF's {@code {"Name": "value"}} tag map, skipping values that are not strings. */
    static Map<String, String> tagMap(Node tags) {
        Map<String, String> result = new LinkedHashMap<>();
        tags.fields().forEach((key, value) -> {
            if (value.isText()) {
                result.put(key, value.json().textValue());
            }
        });
        return result;
    }

    /**
     * Returns an access key, taking the key id from {@code Details}, then from a resource id such as
     * {@code AWS::IAM::AccessKey:AKIA...}, then from GuardDuty's flattened {@code accessKeyDetails/accessKeyId}.
     */
    private static AccessKey accessKey(String type, String id, Node details, ProductFields productFields) {
        String accessKeyId = firstNonBlank(details.field("AccessKeyId").text(), accessKeyIdFrom(id),
                productFields.firstEndingWith("accessKeyDetails/accessKeyId"));
        String userName = firstNonBlank(details.field("UserName").text(), details.field("PrincipalName").text());
        return new AccessKey(type, accessKeyId, details.field("PrincipalId").text(), userName,
                details.field("PrincipalType").text());
    }

    private static Bucket bucket(String type, String id) {
        Arn arn = Arn.parse(id);
        return arn == null ? new Bucket(type, id, null) : new Bucket(type, arn.resource(), id);
    }

    /** Returns the instance id of an EC2 instance ARN or a bare {@code i-...} id, else null. */
    static String instanceIdFrom(String id) {
        Arn arn = Arn.parse(id);
        if (arn != null && "ec2".equals(arn.service()) && arn.resource().startsWith("instance/")) {
            return arn.lastResourceSegment();
        }
        return id != null && id.startsWith("i-") ? id : null;
    }

    /**
     * Returns the key id of a resource id such as {@code AWS::IAM::AccessKey:AKIA...}, or null. GuardDuty writes
     * {@code null} there when it has no key id, and Security Lake masks the id with asterisks.
     */
    static String accessKeyIdFrom(String id) {
        if (id == null || !id.startsWith(ACCESS_KEY_ID_PREFIX)) {
            return null;
        }
        String keyId = id.substring(ACCESS_KEY_ID_PREFIX.length());
        boolean masked = keyId.chars().allMatch(c -> c == '*');
        return keyId.isBlank() || masked || "null".equals(keyId) ? null : keyId;
    }

    /** Returns the name at the end of an ARN's resource ({@code user/path/name}), or the text if not an ARN. */
    static String nameFromArn(String id) {
        Arn arn = Arn.parse(id);
        return arn == null ? id : arn.lastResourceSegment();
    }

    private static String firstNonBlank(String... values) {
        return FindingValues.firstNonBlank(values);
    }
}

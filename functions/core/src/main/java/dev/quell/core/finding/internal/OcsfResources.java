package dev.quell.core.finding.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.quell.core.finding.AffectedResource;
import dev.quell.core.finding.AffectedResource.AccessKey;
import dev.quell.core.finding.AffectedResource.Bucket;
import dev.quell.core.finding.AffectedResource.Instance;
import dev.quell.core.finding.AffectedResource.NetworkInterface;
import dev.quell.core.finding.AffectedResource.Other;
import dev.quell.core.finding.AffectedResource.Role;
import dev.quell.core.finding.AffectedResource.User;
import dev.quell.core.json.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Maps OCSF {@code resources[]} (or the single {@code resource} of OCSF 1.1) to the resources Quell can act on.
 *
 * <p>Security Hub v2 names types as CloudFormation does ({@code AWS::EC2::Instance}) and puts GuardDuty's instance
 * details in {@code data} in snake_case. Security Lake uses ASFF type names ({@code AwsIamAccessKey}) and puts
 * the ASFF {@code Details} in {@code data} as a JSON string. Both are read, and types are compared in ASFF form.
 */
public final class OcsfResources {

    private OcsfResources() {
    }

    public static List<AffectedResource> read(Node finding) {
        List<AffectedResource> result = new ArrayList<>();
        for (Node resource : entries(finding)) {
            String rawType = resource.field("type").text();
            if (rawType != null) {
                result.add(read(rawType, resource));
            }
        }
        return result;
    }

    /** Returns the finding's resource objects from {@code resources}, or else from the single {@code resource}. */
    public static List<Node> entries(Node finding) {
        Node resources = finding.field("resources");
        if (resources.isArray()) {
            return resources.objects();
        }
        Node single = finding.field("resource");
        return single.isObject() ? List.of(single) : List.of();
    }

    /** Returns the ASFF name for a CloudFormation type: {@code AWS::EC2::Instance} becomes {@code AwsEc2Instance}. */
    static String asffTypeName(String type) {
        if (!type.contains("::")) {
            return type;
        }
        StringBuilder name = new StringBuilder();
        for (String part : type.split("::")) {
            boolean acronym = !part.isEmpty() && part.equals(part.toUpperCase(Locale.ROOT));
            name.append(acronym ? part.charAt(0) + part.substring(1).toLowerCase(Locale.ROOT) : part);
        }
        return name.toString();
    }

    private static AffectedResource read(String rawType, Node resource) {
        String kind = asffTypeName(rawType);
        String uid = resource.field("uid").text();
        Node details = details(resource, kind);
        return switch (kind) {
            case "AwsEc2Instance" -> instance(rawType, uid, resource, details);
            case "AwsIamAccessKey" -> accessKey(rawType, uid, details);
            case "AwsIamRole" -> new Role(rawType, firstNonBlank(details.field("RoleName").text(),
                    AsffResources.nameFromArn(uid)), uid);
            case "AwsIamUser" -> new User(rawType, firstNonBlank(details.field("UserName").text(),
                    AsffResources.nameFromArn(uid)), uid);
            case "AwsS3Bucket" -> new Bucket(rawType, AsffResources.nameFromArn(uid), Arn.parse(uid) == null
                    ? null : uid);
            default -> new Other(rawType, uid);
        };
    }

    /**
     * Returns the resource's {@code data}: an object, or a JSON string holding one. When it is ASFF
     * {@code Details}, keyed by the type name, the entry for this type is returned.
     */
    private static Node details(Node resource, String kind) {
        Node data = resource.field("data");
        if (data.isText()) {
            data = parseJsonText(data.text());
        }
        Node typed = data.field(kind);
        return typed.isObject() ? typed : data;
    }

    private static Node parseJsonText(String text) {
        try {
            return Node.root(Json.mapper().readTree(text));
        } catch (JsonProcessingException unreadable) {
            return Node.fromText(null);
        }
    }

    private static AffectedResource instance(String rawType, String uid, Node resource, Node details) {
        String instanceId = firstNonBlank(details.field("instance_id").text(), details.field("InstanceId").text(),
                AsffResources.instanceIdFrom(uid), AsffResources.instanceIdFrom(resource.field("name").text()));
        if (instanceId == null) {
            return new Other(rawType, uid);
        }
        String profileArn = firstNonBlank(details.field("iam_instance_profile").field("arn").text(),
                details.field("IamInstanceProfileArn").text());
        return new Instance(rawType, instanceId, profileArn, networkInterfaces(details), tags(resource, details));
    }

    private static List<NetworkInterface> networkInterfaces(Node details) {
        List<NetworkInterface> interfaces = new ArrayList<>();
        for (Node eni : details.field("network_interfaces").objects()) {
            List<String> groupIds = eni.field("security_groups").objects().stream()
                    .map(group -> group.field("group_id").text())
                    .filter(id -> id != null)
                    .toList();
            interfaces.add(new NetworkInterface(eni.field("network_interface_id").text(), eni.field("vpc_id").text(),
                    eni.field("subnet_id").text(), groupIds));
        }
        return interfaces;
    }

    /** Reads OCSF's {@code [{"name": ..., "value": ...}]} tags, else GuardDuty's key/value list in {@code data}. */
    private static Map<String, String> tags(Node resource, Node details) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (Node tag : resource.field("tags").objects()) {
            String name = tag.field("name").text();
            if (name != null) {
                String value = tag.field("value").text();
                tags.put(name, value == null ? "" : value);
            }
        }
        return tags.isEmpty() ? GuardDutyResources.tags(details.field("tags")) : tags;
    }

    private static AccessKey accessKey(String rawType, String uid, Node details) {
        String accessKeyId = firstNonBlank(details.field("AccessKeyId").text(), AsffResources.accessKeyIdFrom(uid));
        String userName = firstNonBlank(details.field("UserName").text(), details.field("PrincipalName").text());
        return new AccessKey(rawType, accessKeyId, details.field("PrincipalId").text(), userName,
                details.field("PrincipalType").text());
    }

    private static String firstNonBlank(String... values) {
        return FindingValues.firstNonBlank(values);
    }
}

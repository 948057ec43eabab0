package dev.quell.core.finding;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;
import java.util.Map;

/**
 * A resource a finding names, in the kinds Quell can act on, with everything else kept by its raw type.
 *
 * <p>In JSON, such as a published response result, each resource carries its kind in the {@code kind} property, so
 * the result reads back into the same records. A resource without {@code kind} reads as {@link Other}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "kind",
        defaultImpl = AffectedResource.Other.class)
@JsonSubTypes({
    @JsonSubTypes.Type(value = AffectedResource.Instance.class, name = "Instance"),
    @JsonSubTypes.Type(value = AffectedResource.AccessKey.class, name = "AccessKey"),
    @JsonSubTypes.Type(value = AffectedResource.Role.class, name = "Role"),
    @JsonSubTypes.Type(value = AffectedResource.User.class, name = "User"),
    @JsonSubTypes.Type(value = AffectedResource.Bucket.class, name = "Bucket"),
    @JsonSubTypes.Type(value = AffectedResource.Other.class, name = "Other")
})
public sealed interface AffectedResource {

    /** The resource type as the source wrote it, for example {@code Instance} or {@code AwsIamAccessKey}. */
    String rawType();

    /**
     * An EC2 instance. The finding's copy of its network interfaces and tags is informational only: responders
     * re-read the instance from the EC2 API before they decide.
     */
    record Instance(
            String rawType,
            String instanceId,
            String instanceProfileArn,
            List<NetworkInterface> networkInterfaces,
            Map<String, String> tags) implements AffectedResource {

        public Instance {
            networkInterfaces = networkInterfaces == null ? List.of() : List.copyOf(networkInterfaces);
            tags = tags == null ? Map.of() : Map.copyOf(tags);
        }
    }

    /** A network interface as the finding recorded it. */
    record NetworkInterface(String networkInterfaceId, String vpcId, String subnetId, List<String> securityGroupIds) {

        public NetworkInterface {
            securityGroupIds = securityGroupIds == null ? List.of() : List.copyOf(securityGroupIds);
        }
    }

    /**
     * An access key and the principal that used it.
     *
     * @param principalType GuardDuty's {@code userType}: {@code IAMUser}, {@code AssumedRole}, {@code Root},
     *     {@code Role}, {@code FederatedUser}, {@code AWSService} and others, kept verbatim
     * @param principalId the principal id, for an assumed role {@code AROA...:session-name}
     */
    record AccessKey(
            String rawType,
            String accessKeyId,
            String principalId,
            String userName,
            String principalType) implements AffectedResource {
    }

    /** An IAM role. */
    record Role(String rawType, String roleName, String arn) implements AffectedResource {
    }

    /** An IAM user, named without a specific access key. */
    record User(String rawType, String userName, String arn) implements AffectedResource {
    }

    /** An S3 bucket. */
    record Bucket(String rawType, String bucketName, String arn) implements AffectedResource {
    }

    /** Any other resource, kept by its raw type and identifier (usually an ARN). */
    record Other(String rawType, String identifier) implements AffectedResource {
    }
}

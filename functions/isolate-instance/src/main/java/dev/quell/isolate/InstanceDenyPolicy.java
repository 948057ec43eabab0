package dev.quell.isolate;

/**
 * The inline role policy that denies every action to credentials the role issued to one instance. The
 * {@code ec2:SourceInstanceARN} condition key is set on role sessions that EC2 creates for an instance profile,
 * so other instances and services using the same role keep working.
 */
final class InstanceDenyPolicy {

    private InstanceDenyPolicy() {
    }

    static String document(String instanceArn) {
        return """
                {"Version":"2012-10-17","Statement":[{"Sid":"QuellDenyIsolatedInstance","Effect":"Deny",\
                "Action":"*","Resource":"*","Condition":{"StringEquals":{"ec2:SourceInstanceARN":"%s"}}}]}"""
                .formatted(instanceArn);
    }
}

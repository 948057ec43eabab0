package dev.quell.core.finding.internal;

import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An Amazon Resource Name split into its fields: {@code arn:partition:service:region:account:resource}.
 *
 * <p>GuardDuty's Security Hub documentation writes ARNs as {@code arn:aws::guardduty:us-east-1:...}, with an
 * empty field where the service belongs. No real ARN has an empty service, so {@link #parse} drops that empty
 * field and reads the rest as usual.
 *
 * @param region empty for global services such as IAM and S3
 * @param account empty for S3 buckets and Security Hub product ARNs
 * @param resource everything after the account field, which may itself contain {@code :} and {@code /}
 */
public record Arn(String text, String partition, String service, String region, String account, String resource) {

    private static final int FIELD_COUNT = 6;
    private static final Pattern GUARDDUTY_FINDING = Pattern.compile("detector/[^/]+/finding/([^/]+)");

    /** Returns the parsed ARN, or {@code null} when the text is not an ARN. */
    public static Arn parse(String text) {
        if (text == null || !text.startsWith("arn:")) {
            return null;
        }
        String[] fields = text.split(":", -1);
        if (fields.length > FIELD_COUNT && fields[2].isEmpty()) {
            fields = dropEmptyServiceField(fields);
        }
        if (fields.length < FIELD_COUNT || fields[1].isEmpty() || fields[2].isEmpty()) {
            return null;
        }
        String resource = String.join(":", Arrays.copyOfRange(fields, FIELD_COUNT - 1, fields.length));
        return new Arn(text, fields[1], fields[2], fields[3], fields[4], resource);
    }

    /** Returns the part of the resource after its last {@code /}, for example the instance id. */
    public String lastResourceSegment() {
        return resource.substring(resource.lastIndexOf('/') + 1);
    }

    /** Returns the finding id if this is a GuardDuty finding ARN ({@code detector/<id>/finding/<id>}), else null. */
    public String guardDutyFindingId() {
        Matcher matcher = GUARDDUTY_FINDING.matcher(resource);
        return "guardduty".equals(service) && matcher.matches() ? matcher.group(1) : null;
    }

    private static String[] dropEmptyServiceField(String[] fields) {
        String[] shifted = new String[fields.length - 1];
        shifted[0] = fields[0];
        shifted[1] = fields[1];
        System.arraycopy(fields, 3, shifted, 2, fields.length - 3);
        return shifted;
    }
}

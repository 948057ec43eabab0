package dev.quell.core.finding.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Checks whether text is an IPv4 or IPv6 address literal, without any name lookup. Responders put remote IPs into
 * network ACLs and WAF IP sets, so values such as {@code GeneratedFindingIp} are dropped before they get there.
 */
public final class IpLiterals {

    private static final Pattern IPV4 = Pattern.compile(
            "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern HEX_GROUP = Pattern.compile("[0-9A-Fa-f]{1,4}");
    /** The longest IPv6 text form, eight groups with the last two written as dotted IPv4. */
    private static final int MAX_IPV6_LENGTH = 45;
    private static final int IPV6_GROUPS = 8;

    private IpLiterals() {
    }

    public static boolean isIpLiteral(String text) {
        return text != null && (isIpv4(text) || isIpv6(text));
    }

    public static boolean isIpv4(String text) {
        return IPV4.matcher(text).matches();
    }

    /** Accepts the RFC 4291 text forms: full, compressed with one {@code ::}, and with a trailing dotted IPv4. */
    public static boolean isIpv6(String text) {
        if (text.length() > MAX_IPV6_LENGTH || text.indexOf(':') < 0) {
            return false;
        }
        String groups = replaceTrailingIpv4(text);
        if (groups == null) {
            return false;
        }
        int compression = groups.indexOf("::");
        if (compression < 0) {
            return validGroups(split(groups)) && split(groups).size() == IPV6_GROUPS;
        }
        if (compression != groups.lastIndexOf("::")) {
            return false;
        }
        List<String> head = split(groups.substring(0, compression));
        List<String> tail = split(groups.substring(compression + 2));
        return validGroups(head) && validGroups(tail) && head.size() + tail.size() < IPV6_GROUPS;
    }

    /** Replaces a trailing dotted IPv4 part with two hex groups, or returns null when that part is invalid. */
    private static String replaceTrailingIpv4(String text) {
        int lastColon = text.lastIndexOf(':');
        String last = text.substring(lastColon + 1);
        if (!last.contains(".")) {
            return text;
        }
        return isIpv4(last) ? text.substring(0, lastColon + 1) + "0:0" : null;
    }

    private static List<String> split(String groups) {
        return groups.isEmpty() ? List.of() : new ArrayList<>(List.of(groups.split(":", -1)));
    }

    private static boolean validGroups(List<String> groups) {
        return groups.stream().allMatch(group -> HEX_GROUP.matcher(group).matches());
    }
}

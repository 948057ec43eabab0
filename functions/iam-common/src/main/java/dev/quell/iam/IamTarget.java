package dev.quell.iam;

/**
 * An IAM user or role that Quell attaches policies to.
 *
 * @param name the user or role name, passed to IAM verbatim (names may contain {@code +=,.@_-})
 */
public record IamTarget(Kind kind, String name) {

    /** Whether the target is a user or a role. */
    public enum Kind {
        USER,
        ROLE
    }

    public static IamTarget user(String name) {
        return new IamTarget(Kind.USER, name);
    }

    public static IamTarget role(String name) {
        return new IamTarget(Kind.ROLE, name);
    }

    @Override
    public String toString() {
        return (kind == Kind.USER ? "IAM user " : "role ") + name;
    }
}

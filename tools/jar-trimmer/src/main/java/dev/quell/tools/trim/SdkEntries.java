package dev.quell.tools.trim;

import java.util.Map;
import java.util.Set;

/**
 * Sorts the class files of a shaded jar by what the AWS SDK for Java v2 service modules use them for, given the
 * operations the function calls. The rules follow the SDK's generated layout under
 * {@code software/amazon/awssdk/services/SERVICE/}: {@code transform/OpRequestMarshaller} per operation,
 * {@code model/OpRequest} and {@code model/OpResponse} with their builders, {@code paginators/OpIterable} (sync)
 * and {@code OpPublisher} (async), waiters, and the async client beside the sync one.
 */
final class SdkEntries {

    static final String SERVICES = "software/amazon/awssdk/services/";

    private SdkEntries() {
    }

    /** The trimmer's treatment of one class file. */
    enum Kind {
        /** Kept, and the classes it refers to are kept too. */
        ROOT,
        /** Kept only when a kept class refers to it: shapes, enums and exceptions of a service's model. */
        REACHABLE,
        /**
         * The request class of an operation the function never calls. It is kept, without following its
         * references, because verifying the generated sync client loads every request class: the client passes
         * each request where the verifier must check it against {@code SdkRequest}. It is loaded but never
         * initialized.
         */
        LINK_ONLY,
        /** Removed: the async client, async paginators, waiters, and other classes of uncalled operations. */
        REMOVED
    }

    /**
     * Returns the kind of a class file entry.
     *
     * @param operations every operation of each service in the jar, by service package name
     * @param called the operations the function calls, by service package name
     */
    static Kind classify(String entry, Map<String, Set<String>> operations, Map<String, Set<String>> called) {
        if (!entry.startsWith(SERVICES)) {
            return Kind.ROOT;
        }
        String rest = entry.substring(SERVICES.length());
        int slash = rest.indexOf('/');
        String service = rest.substring(0, slash);
        String path = secondServiceStripped(rest.substring(slash + 1, rest.length() - ".class".length()));
        String simpleName = path.substring(path.lastIndexOf('/') + 1);
        String outerName = simpleName.contains("$") ? simpleName.substring(0, simpleName.indexOf('$')) : simpleName;
        if (isAsyncOnly(path, outerName) || path.startsWith("waiters/")) {
            return Kind.REMOVED;
        }
        String operation = operationOf(path, outerName, operations.getOrDefault(service, Set.of()));
        if (operation != null) {
            if (called.getOrDefault(service, Set.of()).contains(operation)) {
                return Kind.ROOT;
            }
            return path.equals("model/" + operation + "Request") ? Kind.LINK_ONLY : Kind.REMOVED;
        }
        // Each service carries a copy of the endpoint rules interpreter in endpoints/internal/, which its
        // generated endpoint provider no longer uses. So only the classes a kept class names stay.
        if (path.startsWith("model/") || path.startsWith("transform/") || path.startsWith("endpoints/internal/")) {
            return Kind.REACHABLE;
        }
        return Kind.ROOT;
    }

    /** An operation of one service, by its SDK package name and its operation name. */
    record Operation(String service, String name) {
    }

    /**
     * Returns the operation whose request or response class (or one of their nested builders) the entry is, or
     * {@code null} for any other entry.
     */
    static Operation operationClass(String entry, Map<String, Set<String>> operations) {
        if (!entry.startsWith(SERVICES) || !entry.endsWith(".class")) {
            return null;
        }
        String rest = entry.substring(SERVICES.length(), entry.length() - ".class".length());
        int slash = rest.indexOf('/');
        if (slash < 0 || !rest.startsWith("model/", slash + 1)) {
            return null;
        }
        String service = rest.substring(0, slash);
        String simpleName = rest.substring(slash + "/model/".length());
        String outerName = simpleName.contains("$") ? simpleName.substring(0, simpleName.indexOf('$')) : simpleName;
        String operation = strip(outerName, "Request", "Response");
        return operation != null && operations.getOrDefault(service, Set.of()).contains(operation)
                ? new Operation(service, operation) : null;
    }

    /**
     * Returns whether an entry is generated per service from its model: the clients (names ending in
     * {@code Client}, at any depth), and everything under {@code model/}, {@code transform/}, {@code paginators/},
     * {@code waiters/} and {@code endpoints/}. Such classes name every operation (the endpoint interceptor tests a
     * request's type against each), so they cannot tell which ones the function calls. The SDK's hand-written
     * customizations in {@code transform/internal/} are not generated: EC2's presigning interceptor, for one,
     * marshals {@code CopySnapshot} requests, so linking it needs that marshaller.
     */
    static boolean isGenerated(String entry) {
        if (!entry.startsWith(SERVICES)) {
            return false;
        }
        String rest = entry.substring(SERVICES.length(), entry.length() - ".class".length());
        String path = rest.substring(rest.indexOf('/') + 1);
        String simpleName = path.substring(path.lastIndexOf('/') + 1);
        String outerName = simpleName.contains("$") ? simpleName.substring(0, simpleName.indexOf('$')) : simpleName;
        return inGeneratedPackage(path, "model/") || inGeneratedPackage(path, "transform/")
                        && !inGeneratedPackage(path, "transform/internal/")
                || inGeneratedPackage(path, "paginators/") || inGeneratedPackage(path, "waiters/")
                || inGeneratedPackage(path, "endpoints/") || outerName.endsWith("Client");
    }

    /**
     * Returns whether a path inside a service's package lies in the named package, either the service's own or a
     * second service's in the same module ({@code streams/transform/} in DynamoDB's).
     */
    private static boolean inGeneratedPackage(String path, String name) {
        return path.startsWith(name) || path.contains("/" + name);
    }

    /**
     * Returns the path of a second service's generated class as if it were the module's own
     * ({@code streams/transform/X} as {@code transform/X}), so that its operations are sorted alike; the second
     * service's operations share the module's model package.
     */
    private static String secondServiceStripped(String path) {
        for (String name : new String[] {"transform/", "paginators/", "waiters/"}) {
            int index = path.indexOf("/" + name);
            if (index > 0 && !path.startsWith(name)) {
                return path.substring(index + 1);
            }
        }
        return path;
    }

    /** Returns the SDK package name of the service a class entry belongs to ({@code ec2}). */
    static String serviceOf(String entry) {
        return entry.substring(SERVICES.length(), entry.indexOf('/', SERVICES.length()));
    }

    /**
     * Returns whether an entry is a generated sync client, interface or implementation, whose methods name each
     * operation of its service: {@code ec2/Ec2Client}, {@code ec2/DefaultEc2Client}, and clients of a second
     * service in the same module, such as {@code dynamodb/streams/DynamoDbStreamsClient}.
     */
    static boolean isSyncClient(String entry) {
        if (!entry.startsWith(SERVICES) || !entry.endsWith("Client.class")) {
            return false;
        }
        String rest = entry.substring(SERVICES.length(), entry.length() - ".class".length());
        String path = rest.substring(rest.indexOf('/') + 1);
        String simpleName = path.substring(path.lastIndexOf('/') + 1);
        boolean generatedPackage = path.startsWith("model/") || path.startsWith("transform/")
                || path.startsWith("paginators/") || path.startsWith("waiters/") || path.startsWith("endpoints/");
        return !generatedPackage && !simpleName.contains("$") && !simpleName.contains("AsyncClient");
    }

    /** Returns the operation a marshaller's entry name belongs to, or {@code null} for any other entry. */
    static String marshalledOperation(String entry) {
        String suffix = "RequestMarshaller.class";
        int transform = entry.indexOf("/transform/");
        if (!entry.startsWith(SERVICES) || transform < 0 || !entry.endsWith(suffix)) {
            return null;
        }
        String name = entry.substring(transform + "/transform/".length(), entry.length() - suffix.length());
        return name.contains("/") || name.contains("$") ? null : name;
    }

    /**
     * Returns whether the class serves only the async client: the client and its builders (at any depth, because
     * some modules hold a second service, such as DynamoDB Streams in {@code dynamodb/streams/}) and the async
     * paginators.
     */
    private static boolean isAsyncOnly(String path, String outerName) {
        boolean model = path.startsWith("model/") || path.startsWith("transform/");
        return !model && outerName.contains("AsyncClient")
                || path.startsWith("paginators/") && outerName.endsWith("Publisher");
    }

    private static String operationOf(String path, String outerName, Set<String> operations) {
        String candidate = null;
        if (path.startsWith("model/")) {
            candidate = strip(outerName, "Request", "Response");
        } else if (path.startsWith("transform/")) {
            candidate = strip(outerName, "RequestMarshaller");
        } else if (path.startsWith("paginators/")) {
            candidate = strip(outerName, "Iterable");
        }
        return candidate != null && operations.contains(candidate) ? candidate : null;
    }

    private static String strip(String name, String... suffixes) {
        for (String suffix : suffixes) {
            if (name.endsWith(suffix) && name.length() > suffix.length()) {
                return name.substring(0, name.length() - suffix.length());
            }
        }
        return null;
    }
}

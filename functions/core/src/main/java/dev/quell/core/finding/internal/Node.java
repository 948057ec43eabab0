package dev.quell.core.finding.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.quell.core.finding.FindingRejectedException;
import dev.quell.core.finding.FindingRejectedException.Reason;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A JSON value together with its path from the document root, so that every rejection can name the field.
 *
 * <p>{@link #text}, {@link #number}, {@link #integer}, {@link #bool} and {@link #instant} return {@code null} for
 * a value of the wrong type. {@link #optionalText} and the {@code require...} readers throw
 * {@link FindingRejectedException} instead. {@link #field} accepts both spellings GuardDuty uses, so
 * {@code field("accountId")} also finds {@code AccountId} in AWS CLI output.
 */
public final class Node {

    /** Possessive quantifiers keep matching linear in the length of the text. */
    private static final Pattern DECIMAL = Pattern.compile("[-+]?+(\\d++(\\.\\d*+)?+|\\.\\d++)([eE][-+]?+\\d++)?+");
    /** No number in a finding is longer; longer strings are not read as numbers. */
    private static final int MAX_DECIMAL_LENGTH = 64;
    private static final int MAX_QUOTED_VALUE = 80;

    private final JsonNode json;
    private final String path;

    private Node(JsonNode json, String path) {
        this.json = json == null ? MissingNode.getInstance() : json;
        this.path = path;
    }

    /** Returns the document root, whose path is empty. */
    public static Node root(JsonNode json) {
        return new Node(json, "");
    }

    /** Returns a root node holding the text, or a missing node when the text is null, for reading flat values. */
    public static Node fromText(String text) {
        return new Node(text == null ? null : TextNode.valueOf(text), "");
    }

    /** Returns the path from the root, for example {@code detail.findings[1].AwsAccountId}. */
    public String path() {
        return path.isEmpty() ? "input" : path;
    }

    public JsonNode json() {
        return json;
    }

    /**
     * Returns the named child. When {@code name} starts with a lower-case letter and the object has no such
     * field, the capitalised name is tried too, because GuardDuty's CLI and SDK output is PascalCase.
     */
    public Node field(String name) {
        JsonNode child = json.get(name);
        if (isAbsent(child) && !name.isEmpty() && Character.isLowerCase(name.charAt(0))) {
            String capitalised = Character.toUpperCase(name.charAt(0)) + name.substring(1);
            JsonNode alternative = json.get(capitalised);
            if (!isAbsent(alternative)) {
                return new Node(alternative, childPath(capitalised));
            }
        }
        return new Node(child, childPath(name));
    }

    /** Returns the array element at {@code index}, or a missing node when there is none. */
    public Node at(int index) {
        return new Node(json.get(index), path + "[" + index + "]");
    }

    /** Returns whether the field exists under either spelling and is not JSON {@code null}. */
    public boolean has(String name) {
        return field(name).present();
    }

    public boolean present() {
        return !isAbsent(json);
    }

    public boolean isObject() {
        return json.isObject();
    }

    public boolean isArray() {
        return json.isArray();
    }

    public boolean isText() {
        return json.isTextual();
    }

    public boolean isEmptyObject() {
        return json.isObject() && json.isEmpty();
    }

    /** Returns the array's elements, or an empty list when this is not an array. */
    public List<Node> elements() {
        List<Node> elements = new ArrayList<>();
        for (int i = 0; json.isArray() && i < json.size(); i++) {
            elements.add(at(i));
        }
        return elements;
    }

    /** Returns the array's elements that are objects, skipping any other values. */
    public List<Node> objects() {
        return elements().stream().filter(Node::isObject).toList();
    }

    /** Returns the object's fields in document order, or an empty map when this is not an object. */
    public Map<String, Node> fields() {
        Map<String, Node> fields = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : json.properties()) {
            fields.put(entry.getKey(), new Node(entry.getValue(), childPath(entry.getKey())));
        }
        return fields;
    }

    /** Returns the field names of an object, for messages about unrecognised input. */
    public List<String> fieldNames() {
        return new ArrayList<>(fields().keySet());
    }

    /** Returns the value if it is a non-blank string, else {@code null}. */
    public String text() {
        return json.isTextual() && !json.textValue().isBlank() ? json.textValue() : null;
    }

    /**
     * Returns the value if it is a non-blank string, or {@code null} if it is absent or blank.
     *
     * @throws FindingRejectedException with {@link Reason#INVALID_FIELD} when the value is not a string
     */
    public String optionalText() {
        if (!present() || json.isTextual()) {
            return text();
        }
        throw invalid("a string");
    }

    /**
     * Returns the value as a non-blank string.
     *
     * @throws FindingRejectedException with {@link Reason#MISSING_FIELD} when the value is absent or blank, or
     *     {@link Reason#INVALID_FIELD} when it is not a string
     */
    public String requireText() {
        String value = optionalText();
        if (value == null) {
            throw missing();
        }
        return value;
    }

    /** Returns this node if it is an object, else throws {@link Reason#INVALID_FIELD}. */
    public Node requireObject() {
        if (!json.isObject()) {
            throw invalid("an object");
        }
        return this;
    }

    /** Returns the value as a finite number, reading numeric strings such as {@code "6.0"}, else {@code null}. */
    public Double number() {
        double value;
        if (json.isNumber()) {
            value = json.doubleValue();
        } else if (json.isTextual() && isDecimal(json.textValue().trim())) {
            value = Double.parseDouble(json.textValue().trim());
        } else {
            return null;
        }
        return Double.isFinite(value) ? value : null;
    }

    /** Returns the value as a whole number that fits an {@code int}, reading numeric strings, else {@code null}. */
    public Integer integer() {
        Double value = number();
        if (value == null || value != Math.rint(value) || Math.abs(value) > Integer.MAX_VALUE) {
            return null;
        }
        return value.intValue();
    }

    /** Returns the value as a boolean, reading the strings {@code "true"} and {@code "false"}, else {@code null}. */
    public Boolean bool() {
        if (json.isBoolean()) {
            return json.booleanValue();
        }
        if (json.isTextual()) {
            String value = json.textValue().trim().toLowerCase(Locale.ROOT);
            return "true".equals(value) ? Boolean.TRUE : "false".equals(value) ? Boolean.FALSE : null;
        }
        return null;
    }

    /** Returns whether the value is {@code true} or the string {@code "true"}. */
    public boolean isTrue() {
        return Boolean.TRUE.equals(bool());
    }

    /** Returns the value as an instant, or {@code null} when it is absent or unreadable; see {@link Timestamps}. */
    public Instant instant() {
        return Timestamps.parse(json);
    }

    /** Returns an exception saying that this field is missing. */
    public FindingRejectedException missing() {
        return new FindingRejectedException(Reason.MISSING_FIELD, path() + " is missing");
    }

    /** Returns an exception saying that this field's value is not what {@code expected} describes. */
    public FindingRejectedException invalid(String expected) {
        return new FindingRejectedException(Reason.INVALID_FIELD,
                path() + " is " + describe() + ", expected " + expected);
    }

    /** Describes the value's type, and its value when it is a scalar, for error messages. */
    public String describe() {
        if (!present()) {
            return json.isNull() ? "null" : "missing";
        }
        if (json.isObject()) {
            return json.isEmpty() ? "an empty object" : "an object";
        }
        if (json.isArray()) {
            return json.isEmpty() ? "an empty array" : "an array";
        }
        if (json.isTextual()) {
            return "the string \"" + excerpt(json.textValue()) + "\"";
        }
        return (json.isBoolean() ? "the boolean " : "the number ") + excerpt(json.asText());
    }

    /**
     * Returns input text made safe for an error message: cut to 80 characters, with each control character
     * replaced by its Unicode escape, so that a value can neither fill a log nor start a forged log line.
     */
    public static String excerpt(String text) {
        String cut = text.length() <= MAX_QUOTED_VALUE ? text : text.substring(0, MAX_QUOTED_VALUE) + "...";
        StringBuilder safe = new StringBuilder(cut.length());
        for (char c : cut.toCharArray()) {
            if (Character.isISOControl(c)) {
                safe.append(String.format("\\u%04x", (int) c));
            } else {
                safe.append(c);
            }
        }
        return safe.toString();
    }

    /** Returns whether the text is a plain decimal number, optionally signed and in E-notation. */
    static boolean isDecimal(String text) {
        return text.length() <= MAX_DECIMAL_LENGTH && DECIMAL.matcher(text).matches();
    }

    private String childPath(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    private static boolean isAbsent(JsonNode node) {
        return node == null || node.isMissingNode() || node.isNull();
    }
}

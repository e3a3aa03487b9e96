package dev.ngao.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Every problem type the service can send, read from its sources: ingest-service's own, and those of the
 * platform packages it imports (the signed-request guard and scopes live in {@code dev.ngao.platform.auth}).
 *
 * <p>A problem leaves through one of four calls, each with the type at a known argument: {@code
 * Problems.send(context, status, type, ...)}, {@code Problems.body(status, type, ...)}, {@code
 * HttpReplies.sendProblem(context, status, type, problem)} and {@code JsonRoutes.unprocessable(context, type,
 * ...)}. A type written there as a literal or a constant is read directly. A type passed as a variable
 * ({@link #INDIRECT_TYPE_ARGUMENTS}) comes from an enum constant or a record built as {@code (status,
 * "type", ...)}, or from an assignment {@code type = "..."}, which are collected wherever they appear. Any
 * other expression fails {@link #scan}, so a new way of naming a type cannot slip past the check.
 */
final class ProblemTypesInSource {

    /** The type-carrying expressions passed to the calls above, and where their values are written. */
    static final Map<String, String> INDIRECT_TYPE_ARGUMENTS = Map.of(
            "refusal.type()", "AuthRefusal's constants and RefundRules' Refusal records: (status, \"type\", ...)",
            "type", "InvalidRequests and JsonRoutes.unprocessable: type = \"...\" or its callers' literals");

    private static final Map<String, Integer> TYPE_ARGUMENT = Map.of(
            "Problems.send(", 2,
            "Problems.body(", 1,
            "sendProblem(", 2,
            "unprocessable(", 1);
    private static final String SLUG = "[a-z]+(?:-[a-z]+)*";
    private static final Pattern STATUS_AND_TYPE = Pattern.compile("\\(\\s*([45]\\d\\d)\\s*,\\s*\"(" + SLUG + ")\"");
    private static final Pattern TYPE_ASSIGNMENT = Pattern.compile("\\btype\\s*=\\s*\"(" + SLUG + ")\"");
    private static final Pattern LITERAL = Pattern.compile("\"(" + SLUG + ")\"");
    private static final Pattern CONSTANT = Pattern.compile("(?:\\w+\\.)?([A-Z][A-Z0-9_]*)");
    private static final Pattern DECLARATION = Pattern.compile("[\\w.<>]+\\s+\\w+");
    private static final Pattern PLATFORM_IMPORT = Pattern.compile("^import (dev\\.ngao\\.platform\\.[\\w.]+)\\.\\w+;",
            Pattern.MULTILINE);

    /** Problem type to the statuses it is sent with, where the source names them (empty: decided at run time). */
    private final Map<String, Set<Integer>> statuses = new TreeMap<>();
    private final List<String> unexplained = new ArrayList<>();

    private ProblemTypesInSource() {
    }

    /** Reads the sources under {@code moduleSources} and the platform packages they import from {@code platformSources}. */
    static ProblemTypesInSource scan(Path moduleSources, Path platformSources) throws IOException {
        List<String> sources = new ArrayList<>(read(Files.walk(moduleSources)));
        Set<String> packages = new TreeSet<>();
        sources.forEach(source -> {
            Matcher imported = PLATFORM_IMPORT.matcher(source);
            while (imported.find()) {
                packages.add(imported.group(1));
            }
        });
        for (String packageName : packages) {
            Path directory = platformSources.resolve(packageName.replace('.', '/'));
            if (Files.isDirectory(directory)) {
                sources.addAll(read(Files.list(directory)));
            }
        }
        ProblemTypesInSource types = new ProblemTypesInSource();
        Map<String, String> constants = constants(sources);
        sources.forEach(source -> types.collect(source, constants));
        return types;
    }

    Map<String, Set<Integer>> statuses() {
        return statuses;
    }

    Set<String> types() {
        return statuses.keySet();
    }

    /** The type arguments this scan could not resolve to a literal, a constant or a known indirection. */
    List<String> unexplained() {
        return unexplained;
    }

    private void collect(String source, Map<String, String> constants) {
        TYPE_ARGUMENT.forEach((call, index) -> {
            for (int at = source.indexOf(call); at >= 0; at = source.indexOf(call, at + 1)) {
                List<String> arguments = arguments(source, at + call.length());
                if (arguments.size() <= index || DECLARATION.matcher(arguments.get(0)).matches()) {
                    continue;
                }
                resolve(arguments.get(index), constants, statusOf(arguments.get(index - 1)), call);
            }
        });
        Matcher pair = STATUS_AND_TYPE.matcher(source);
        while (pair.find()) {
            add(pair.group(2), Integer.parseInt(pair.group(1)));
        }
        Matcher assignment = TYPE_ASSIGNMENT.matcher(source);
        while (assignment.find()) {
            add(assignment.group(1), null);
        }
    }

    private void resolve(String argument, Map<String, String> constants, Integer status, String call) {
        Matcher literal = LITERAL.matcher(argument);
        Matcher constant = CONSTANT.matcher(argument);
        if (literal.matches()) {
            add(literal.group(1), status);
        } else if (constant.matches() && constants.containsKey(constant.group(1))) {
            add(constants.get(constant.group(1)), status);
        } else if (!INDIRECT_TYPE_ARGUMENTS.containsKey(argument)) {
            unexplained.add(call + " ... " + argument);
        }
    }

    private void add(String type, Integer status) {
        Set<Integer> known = statuses.computeIfAbsent(type, ignored -> new TreeSet<>());
        if (status != null) {
            known.add(status);
        }
    }

    private static Integer statusOf(String argument) {
        return argument.matches("[45]\\d\\d") ? Integer.valueOf(argument) : null;
    }

    /** {@code static final String NAME = "slug";} anywhere in the sources, by name. */
    private static Map<String, String> constants(List<String> sources) {
        Pattern definition = Pattern.compile("static final String ([A-Z][A-Z0-9_]*) = \"(" + SLUG + ")\";");
        Map<String, String> constants = new TreeMap<>();
        sources.forEach(source -> {
            Matcher matcher = definition.matcher(source);
            while (matcher.find()) {
                constants.put(matcher.group(1), matcher.group(2));
            }
        });
        return constants;
    }

    /** The top-level arguments of the call whose opening parenthesis ends at {@code start}, trimmed. */
    private static List<String> arguments(String source, int start) {
        List<String> arguments = new ArrayList<>();
        StringBuilder argument = new StringBuilder();
        int depth = 0;
        boolean inString = false;
        for (int index = start; index < source.length(); index++) {
            char character = source.charAt(index);
            if (inString) {
                argument.append(character);
                if (character == '\\') {
                    argument.append(source.charAt(++index));
                } else if (character == '"') {
                    inString = false;
                }
                continue;
            }
            if (character == '"') {
                inString = true;
            } else if (character == '(' || character == '[' || character == '{') {
                depth++;
            } else if (character == ')' || character == ']' || character == '}') {
                if (depth == 0) {
                    arguments.add(argument.toString().trim());
                    return arguments;
                }
                depth--;
            } else if (character == ',' && depth == 0) {
                arguments.add(argument.toString().trim());
                argument.setLength(0);
                continue;
            }
            argument.append(character);
        }
        return arguments;
    }

    /** The Java sources among {@code listing}, a directory's listing or walk, which this closes. */
    private static List<String> read(Stream<Path> listing) {
        try (Stream<Path> files = listing) {
            List<String> sources = new ArrayList<>();
            for (Path file : files.filter(path -> path.toString().endsWith(".java")).sorted().toList()) {
                sources.add(Files.readString(file, StandardCharsets.UTF_8));
            }
            return sources;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** For a failure message: each type with its statuses. */
    @Override
    public String toString() {
        return statuses.toString();
    }

    static Set<String> difference(Set<String> left, Set<String> right) {
        Set<String> difference = new HashSet<>(left);
        difference.removeAll(right);
        return new TreeSet<>(difference);
    }
}

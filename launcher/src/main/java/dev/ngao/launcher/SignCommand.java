package dev.ngao.launcher;

import dev.ngao.platform.auth.RequestSigner;
import dev.ngao.platform.cli.CallerFiles;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ngao sign --key-id ID --secret-file FILE METHOD PATH [BODY_FILE]}: prints the four signature
 * headers for one request, one {@code Name: value} per line, ready for {@code curl -H @file}. The body
 * file must hold exactly the bytes that will be sent ({@code curl --data-binary @file}, not {@code -d},
 * which strips newlines). Each run signs once, with a fresh nonce: sign again for every request.
 */
final class SignCommand {

    static final String USAGE = "ngao sign --key-id ID --secret-file FILE METHOD PATH [BODY_FILE]";

    private SignCommand() {
    }

    /** @throws IllegalArgumentException with a usage message when the arguments are wrong */
    static void run(List<String> arguments, CallerFiles files, PrintStream out) {
        String keyId = null;
        String secretFile = null;
        List<String> positional = new ArrayList<>();
        for (int index = 0; index < arguments.size(); index++) {
            String argument = arguments.get(index);
            switch (argument) {
                case "--key-id" -> keyId = valueAfter(arguments, ++index, argument);
                case "--secret-file" -> secretFile = valueAfter(arguments, ++index, argument);
                default -> {
                    if (argument.startsWith("--")) {
                        throw new IllegalArgumentException("unknown option " + argument + "; usage: " + USAGE);
                    }
                    positional.add(argument);
                }
            }
        }
        if (keyId == null || secretFile == null || positional.size() < 2 || positional.size() > 3
                || !positional.get(1).startsWith("/")) {
            throw new IllegalArgumentException("usage: " + USAGE);
        }
        String secret = files.text(secretFile).trim();
        byte[] body = positional.size() == 3 ? files.bytes(positional.get(2)) : new byte[0];
        new RequestSigner(keyId, secret).sign(positional.get(0), positional.get(1), body).asMap()
                .forEach((name, value) -> out.println(name + ": " + value));
    }

    static String valueAfter(List<String> arguments, int index, String option) {
        if (index >= arguments.size()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return arguments.get(index);
    }
}

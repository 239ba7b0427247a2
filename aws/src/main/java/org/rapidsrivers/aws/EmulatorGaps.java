package org.rapidsrivers.aws;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * Understands what an emulator refuses that AWS accepts (fauxqs knows no RedriveAllowPolicy, for
 * one): where the user said the endpoint is an emulator, the call is made again without that part and
 * one warning per part says so; on AWS, or on an endpoint not said to be an emulator, nothing is left
 * out and the refusal is an error like any other.
 */
public final class EmulatorGaps {
    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();
    private static volatile Consumer<String> warnings = line -> System.err.println(line);

    private final boolean emulator;

    public EmulatorGaps(boolean emulator) {
        this.emulator = emulator;
    }

    /** Where the warnings go (standard error unless a test listens). */
    public static void warnTo(Consumer<String> sink) {
        warnings = sink;
    }

    /**
     * The full call; on an emulator that refuses it, the reduced one, after one warning naming
     * {@code part} (what is left out) and what AWS does instead.
     */
    public <T> T withFallback(String part, Supplier<T> full, Supplier<T> reduced) {
        try {
            return full.get();
        } catch (AwsServiceException refused) {
            if (!emulator || !refusedAsUnknown(refused)) {
                throw refused;
            }
            if (WARNED.add(part)) {
                warnings.accept("warning: the emulator refuses " + part + " (" + firstLine(refused) + "); left out here,"
                        + " AWS itself gets it");
            }
            return reduced.get();
        }
    }

    /** What an emulator answers for what it does not know: an unknown attribute or parameter, an unsupported call. */
    static boolean refusedAsUnknown(AwsServiceException e) {
        String code = e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null ? ""
                : e.awsErrorDetails().errorCode();
        return code.contains("InvalidAttributeName") || code.contains("UnsupportedOperation")
                || code.equals("InvalidParameterValue") && String.valueOf(e.getMessage()).contains("nknown")
                || code.contains("NotImplemented") || e.statusCode() == 501;
    }

    private static String firstLine(AwsServiceException e) {
        String message = e.awsErrorDetails() != null && e.awsErrorDetails().errorMessage() != null
                ? e.awsErrorDetails().errorMessage() : String.valueOf(e.getMessage());
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}

package dev.cairn.store.artifact;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.util.Map;

/** Maps AWS SDK failures to Cairn's error codes, naming the S3 location. */
final class S3Errors {
    private S3Errors() {}

    static boolean isNotFound(SdkException e) {
        return e instanceof S3Exception s3 && s3.statusCode() == 404;
    }

    static String errorCode(SdkException e) {
        if (e instanceof S3Exception s3 && s3.awsErrorDetails() != null) return s3.awsErrorDetails().errorCode();
        return null;
    }

    static CairnException failure(String action, String location, SdkException e) {
        Map<String, Object> details = Map.of("location", location);
        if (e instanceof SdkClientException) {
            return new CairnException(ErrorCode.TEMPORARILY_UNAVAILABLE,
                    "Could not " + action + " '" + location + "': S3 is unreachable: " + e.getMessage(), details, e);
        }
        if (e instanceof S3Exception s3) {
            String code = errorCode(e);
            if ("NoSuchBucket".equals(code)) {
                return new CairnException(ErrorCode.RESOURCE_DOES_NOT_EXIST,
                        "Could not " + action + " '" + location + "': the bucket does not exist", details, e);
            }
            if (s3.statusCode() == 403) {
                return new CairnException(ErrorCode.PERMISSION_DENIED,
                        "Could not " + action + " '" + location + "': S3 denied access (" + code + ")", details, e);
            }
            if (s3.statusCode() == 503 || "SlowDown".equals(code)) {
                return new CairnException(ErrorCode.TEMPORARILY_UNAVAILABLE,
                        "Could not " + action + " '" + location + "': S3 asked to slow down", details, e);
            }
        }
        return new CairnException(ErrorCode.INTERNAL_ERROR,
                "Could not " + action + " '" + location + "': " + e.getMessage(), details, e);
    }
}

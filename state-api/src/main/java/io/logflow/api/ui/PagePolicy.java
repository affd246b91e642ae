package io.logflow.api.ui;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Content-Security-Policy of a page LogFlow serves (the UI's {@code index.html}, the API docs' {@code docs.html}):
 * scripts only from this origin plus the page's own inline scripts, each allowed by the SHA-256 of its text (the
 * import map cannot be a file: browsers read only inline import maps). So a log line or span attribute that ever
 * reached the DOM as markup could not run: no inline handler, no injected {@code <script>}, no {@code javascript:}
 * URL, no other origin. Requests go to this origin only, the page cannot be framed, no plugin loads. Inline styles
 * stay allowed (the charts and Swagger UI set them; a style cannot run code).
 */
final class PagePolicy {
    /** An inline script: a {@code <script>} element without {@code src}, and its text exactly as the browser hashes. */
    private static final Pattern INLINE_SCRIPT = Pattern.compile(
            "<script(?![^>]*\\ssrc\\s*=)[^>]*>(.*?)</script>", Pattern.DOTALL | Pattern.CASE_INSENSITIVE);

    private PagePolicy() {}

    /** The header's value for a page with this HTML. */
    static String contentSecurityPolicy(String html) {
        StringBuilder scripts = new StringBuilder("'self'");
        for (String hash : inlineScriptHashes(html))
            scripts.append(" 'sha256-").append(hash).append('\'');
        return "default-src 'self'; script-src " + scripts
                + "; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                + "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    }

    /** The base64 SHA-256 of each inline script's text, in page order (CSP Level 2's hash source). */
    static List<String> inlineScriptHashes(String html) {
        List<String> hashes = new ArrayList<>();
        Matcher m = INLINE_SCRIPT.matcher(html);
        while (m.find()) hashes.add(sha256(m.group(1)));
        return hashes;
    }

    private static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.ngao.console.account;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class QrCodesTest {

    private static final Pattern VIEW_BOX = Pattern.compile("viewBox=\"0 0 (\\d+) (\\d+)\"");
    private static final Pattern MODULE = Pattern.compile("M(\\d+) (\\d+)h1v1h-1z");
    private static final int PIXELS_PER_MODULE = 4;

    @Test
    void shouldDrawAQrCodeThatReadsBackAsTheOtpauthUri() throws Exception {
        String uri = Totp.uri("Ngao", "alice", "12345678901234567890".getBytes(StandardCharsets.US_ASCII));

        String svg = QrCodes.svg(uri);

        assertThat(svg).startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"").doesNotContain("<script");
        assertThat(new QRCodeReader().decode(rasterize(svg)).getText()).isEqualTo(uri);
    }

    @Test
    void shouldServeTheSvgAsADataUriOfAnImage() {
        String dataUri = QrCodes.svgDataUri("otpauth://totp/Ngao:alice?secret=GEZDGNBV");

        assertThat(dataUri).startsWith("data:image/svg+xml;base64,");
        assertThat(new String(Base64.getDecoder().decode(dataUri.substring(dataUri.indexOf(',') + 1)),
                StandardCharsets.UTF_8)).isEqualTo(QrCodes.svg("otpauth://totp/Ngao:alice?secret=GEZDGNBV"));
    }

    /** The SVG's unit squares drawn black on white, as a camera would see the screen. */
    private static BinaryBitmap rasterize(String svg) {
        Matcher box = VIEW_BOX.matcher(svg);
        assertThat(box.find()).isTrue();
        int size = Integer.parseInt(box.group(1)) * PIXELS_PER_MODULE;
        int[] pixels = new int[size * size];
        Arrays.fill(pixels, 0xffffffff);
        Matcher module = MODULE.matcher(svg);
        while (module.find()) {
            int left = Integer.parseInt(module.group(1)) * PIXELS_PER_MODULE;
            int top = Integer.parseInt(module.group(2)) * PIXELS_PER_MODULE;
            for (int y = top; y < top + PIXELS_PER_MODULE; y++) {
                Arrays.fill(pixels, y * size + left, y * size + left + PIXELS_PER_MODULE, 0xff000000);
            }
        }
        return new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(size, size, pixels)));
    }
}

package io.mosaspark.prep.tokenize;

import java.util.List;

/** Strings that break naive tokenizers; every one must round-trip exactly (no lone surrogates here). */
final class HostileText {

    static final List<String> SAMPLES = List.of(
            "Hello world",
            "",
            " ",
            "\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67\u200D\uD83D\uDC66 family, \uD83C\uDDE9\uD83C\uDDEA flag, \u2603\uFE0F snowman",
            "e\u0301\u0301\u0301 a\u0308\u0323 Z\u0351\u036B\u0343\u036A\u0302\u036B\u033D\u034F\u0334\u0319",
            "\u05E9\u05DC\u05D5\u05DD \u05E2\u05D5\u05DC\u05DD \u0645\u0631\u062D\u0628\u0627 \u202Eevil\u202C \u200F",
            "\u4E2D\u6587\u5B57\u7B26 \u65E5\u672C\u8A9E\u306E\u30C6\u30AD\u30B9\u30C8 \uD55C\uAD6D\uC5B4 \uD840\uDC0B",
            "nul\u0000inside\u0000\u0000 and \u0001\u001F controls \u007F",
            "\r\n\t  \u00A0\u2028\u2029\u3000 spaces\n\n\n",
            "\uFEFFbom \uFFFF\uFFFE non-characters \uE000 private \uDBFF\uDFFF last plane",
            "\uD835\uDD18\uD835\uDD2B\uD835\uDD26\uD835\uDD20\uD835\uDD2C\uD835\uDD21\uD835\uDD22 math letters",
            "<|endoftext|> is ordinary text <|fim_prefix|>",
            "x".repeat(20_000),
            "\u00FC".repeat(3_000) + "\uD83D\uDE00".repeat(700),
            "don't I'LL we've 3.14159 1234567890 $$$ ;;; --> ===");

    private HostileText() {
    }
}

package org.rapidsrivers.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.rapidsrivers.cli.shell.ShellWords;
import org.rapidsrivers.core.InvalidInput;

class ShellWordsTest {
    @Test
    void splitsLikeAPosixShell() {
        assertThat(ShellWords.split("send ViewPage TheSource '{\"name\":\"Sally\"}'"))
                .containsExactly("send", "ViewPage", "TheSource", "{\"name\":\"Sally\"}");
        assertThat(ShellWords.split("  a\tb   c  ")).containsExactly("a", "b", "c");
        assertThat(ShellWords.split("")).isEmpty();
    }

    @Test
    void singleQuotesKeepBackslashesSoJsonEscapesSurvive() {
        assertThat(ShellWords.split("send A B '{\"u\":\"\\u00e9\",\"q\":\"a\\\"b\"}'"))
                .containsExactly("send", "A", "B", "{\"u\":\"\\u00e9\",\"q\":\"a\\\"b\"}");
    }

    @Test
    void doubleQuotesEscapeOnlyQuoteBackslashDollarAndBacktick() {
        // the line typed: send A B "{\"x\": \"\\n\q\$\"}"
        String typed = "send A B \"{\\\"x\\\": \\\"\\\\n\\q\\$\\\"}\"";
        assertThat(ShellWords.split(typed)).containsExactly("send", "A", "B", "{\"x\": \"\\n\\q$\"}");
    }

    @Test
    void adjacentPartsMakeOneWordAndEmptyQuotesMakeAnEmptyWord() {
        assertThat(ShellWords.split("a'b c'\"d\"e ''")).containsExactly("ab cde", "");
        assertThat(ShellWords.split("a\\ b")).containsExactly("a b");
    }

    @Test
    void aHashAtTheStartOfAWordBeginsAComment() {
        assertThat(ShellWords.split("topics # list them")).containsExactly("topics");
        assertThat(ShellWords.split("send a#b S")).containsExactly("send", "a#b", "S");
        assertThat(ShellWords.split("# only a comment")).isEmpty();
    }

    @Test
    void anUnclosedQuoteIsRefused() {
        assertThatThrownBy(() -> ShellWords.split("send 'abc")).isInstanceOf(InvalidInput.class)
                .hasMessage("unclosed ' quote: close it with another '");
        assertThatThrownBy(() -> ShellWords.split("send \"abc")).isInstanceOf(InvalidInput.class)
                .hasMessage("unclosed \" quote: close it with another \"");
    }
}

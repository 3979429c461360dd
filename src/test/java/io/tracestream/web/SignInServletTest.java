package io.tracestream.web;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Which sign-in addresses carry a key, and so are refused unread (issue 24: a key in the query string). */
class SignInServletTest {

    @Test
    void aKeyParameterInTheQueryIsFoundHoweverItsNameIsWritten() {
        for (String query : new String[] {"key=k", "key", "key=", "next=%2F&key=k", "ke%79=k", "%6B%65%79=k", "a=1&&key=k"}) {
            assertTrue(SignInServlet.keyInQuery(query), query);
        }
    }

    @Test
    void aQueryWithoutAKeyParameterIsLeftAlone() {
        for (String query : new String[] {null, "", "next=%2F", "keys=1", "monkey=1", "next=key%3Dk", "k%ZZey=1"}) {
            assertFalse(SignInServlet.keyInQuery(query), String.valueOf(query));
        }
    }
}

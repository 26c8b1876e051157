package org.collab4j.train.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.time.Duration;

class TuneBudgetTest {

    @Test
    void readsSecondsMinutesHoursAndTheirSums() {
        assertEquals(Duration.ofSeconds(60), TuneBudget.parse("60s"));
        assertEquals(Duration.ofMinutes(2), TuneBudget.parse("2m"));
        assertEquals(Duration.ofSeconds(90), TuneBudget.parse("1m30s"));
        assertEquals(Duration.ofSeconds(90), TuneBudget.parse("1.5m"));
        assertEquals(Duration.ofHours(1), TuneBudget.parse(" 1H "));
        assertEquals(Duration.ofMillis(1500), TuneBudget.parse("1500ms"));
        assertEquals(Duration.ofSeconds(60), TuneBudget.DEFAULT);
    }

    @Test
    void formatsWhatItParses() {
        for (String text : new String[] {"60s", "2m", "90s", "1500ms", "3h"}) {
            assertEquals(TuneBudget.parse(text), TuneBudget.parse(TuneBudget.format(TuneBudget.parse(text))));
        }
    }

    @Test
    void refusesBadValuesSayingWhatItTakes() {
        String[][] cases = {
            {"60", "every number needs a unit"},
            {"", "it is empty"},
            {"abc", "'abc' is not a number with a unit"},
            {"-5s", "is not a number with a unit"},
            {"30s1m", "largest first"},
            {"1m1m", "largest first"},
            {"500ms", "under one second"},
            {"0s", "under one second"},
            {"200h", "more than a week"},
            {"5 s", "every number needs a unit"},
        };
        for (String[] c : cases) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TuneBudget.parse(c[0]),
                    c[0]);
            assertTrue(e.getMessage().contains("such as 60s, 2m or 1m30s") && e.getMessage().contains(c[1])
                    && e.getMessage().contains("'" + c[0] + "'"), c[0] + ": " + e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> TuneBudget.parse(null));
    }
}

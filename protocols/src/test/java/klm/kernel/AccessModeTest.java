package klm.kernel;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The access mode's property: kernel by default, volatile on request, anything else an error naming the valid values. */
class AccessModeTest {
    @Test
    void parsesTheTwoModesAndRejectsOthers() {
        assertFalse(AccessMode.parse("kernel"));
        assertFalse(AccessMode.parse(""));
        assertTrue(AccessMode.parse("Volatile"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AccessMode.parse("opaque"));
        assertTrue(e.getMessage().contains("klm.access=opaque") && e.getMessage().contains("valid: kernel"), e.getMessage());
    }

    @Test
    void offByDefault() {
        assertFalse(AccessMode.VOLATILE, "the verdict tests run with the kernel's access mapping");
    }
}

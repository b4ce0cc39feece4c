package org.langneurons.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.langneurons.Fixtures;
import org.langneurons.model.Architecture;
import org.langneurons.model.LanguageModel;

/** A hook on a point the architecture lacks is refused when it is added, not silently never run. */
class HookPointsTest {
    private static final Hook SAME = (name, activation, context) -> activation;

    @Test
    void bloomHasNoUpProjectionHookPoint() {
        assertEquals(EnumSet.complementOf(EnumSet.of(HookPoint.MLP_UP)), Architecture.BLOOM.hookPoints());
        for (Architecture a : new Architecture[] {Architecture.LLAMA, Architecture.MISTRAL, Architecture.QWEN2}) {
            assertEquals(EnumSet.allOf(HookPoint.class), a.hookPoints(), a.toString());
        }
        try (LanguageModel model = LanguageModel.load(Fixtures.parity("bloom"))) {
            String expected = "BLOOM has no mlp.up hook point (its MLP has no up projection)";
            assertEquals(expected, assertThrows(IllegalArgumentException.class,
                    () -> model.hooks().add(HookName.mlpUp(0), SAME)).getMessage());
            assertEquals(expected, assertThrows(IllegalArgumentException.class,
                    () -> model.hooks().addEveryLayer(HookPoint.MLP_UP, SAME)).getMessage());
            assertTrue(model.hooks().isEmpty(), "nothing was registered");
            // a recording of several points, one of them absent, leaves nothing registered
            try (var m = model.manager().newSubManager()) {
                assertThrows(IllegalArgumentException.class, () -> ActivationCache.record(model.hooks(), m,
                        HookName.mlpGate(0), HookName.mlpAct(0), HookName.mlpUp(0)));
            }
            assertTrue(model.hooks().isEmpty(), "the recording's other hooks were removed");
            model.hooks().add(HookName.mlpGate(1), SAME).close();
            assertEquals(Architecture.BLOOM.hookPoints(), model.hooks().points());
        }
    }

    @Test
    void aRegistryTakesItsPointsAndMessage() {
        Hooks hooks = new Hooks(2, Set.of(HookPoint.MLP_ACT), point -> "no " + point.shortName() + " here");
        hooks.add(HookName.mlpAct(1), SAME).close();
        assertEquals("no resid_post here", assertThrows(IllegalArgumentException.class,
                () -> hooks.add(HookName.residPost(0), SAME)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> hooks.add(HookName.mlpAct(2), SAME))
                .getMessage().contains("2 layers"));
        Hooks every = new Hooks(3);
        assertEquals(EnumSet.allOf(HookPoint.class), every.points());
        every.addEveryLayer(HookPoint.MLP_UP, SAME).close();
        assertTrue(every.isEmpty());
    }
}

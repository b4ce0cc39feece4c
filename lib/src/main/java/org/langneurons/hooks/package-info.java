/**
 * Hook points: named activations of every block ({@link org.langneurons.hooks.HookName}, e.g.
 * {@code blocks.3.mlp.hook_act}), the same for every architecture; hooks that read or replace them during any forward
 * call ({@link org.langneurons.hooks.Hook}, registered on {@link org.langneurons.hooks.Hooks} and removed by closing
 * their {@link org.langneurons.hooks.HookHandle}); and {@link org.langneurons.hooks.ActivationCache} to record them.
 */
package org.langneurons.hooks;

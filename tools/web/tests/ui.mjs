// How a story operates the console: with the mouse (Playwright's click,
// fill and selectOption), or keyboard only, as someone who cannot use a
// mouse does — Tab from wherever the focus is until the control has it,
// then type, move through a list's options with the arrow keys, or press
// Enter. A control that Tab never reaches fails the story; so does one that
// looks the same with the focus as without it (WCAG 2.4.7).
const kMaxTabs = 150;

// The order in which this Chromium takes a date typed into a date field
// (its own locale's, not the page's): found once by typing into a probe,
// before a story's page is used.
let dateOrder = null;
export async function learnTypedDateOrder(context) {
  if (dateOrder) return dateOrder;
  const probe = await context.newPage();
  await probe.setContent('<input type="date" id="d">');
  await probe.locator("#d").focus();
  await probe.keyboard.type("01021990");
  const v = await probe.locator("#d").inputValue();
  await probe.close();
  if (v === "1990-01-02") dateOrder = ["m", "d", "y"];
  else if (v === "1990-02-01") dateOrder = ["d", "m", "y"];
  else throw new Error(`keyboard: cannot tell how this Chromium takes a typed date (${v})`);
  return dateOrder;
}

export function makeUi(page, keyboard) {
  const invisibleFocus = new Set();

  async function tabTo(locator) {
    const handle = await locator.elementHandle({ timeout: 15000 });
    for (let i = 0; i <= kMaxTabs; i++) {
      if (await handle.evaluate((el) => el === document.activeElement)) {
        // Visible: it looks different with the focus than without.
        const visible = await handle.evaluate((el) => {
          const look = () => {
            const s = getComputedStyle(el);
            const outline = s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0;
            return [outline, s.outlineColor, s.boxShadow, s.borderColor, s.backgroundColor, s.textDecorationLine].join("|");
          };
          const focused = look();
          el.blur();
          const resting = look();
          el.focus();
          return focused !== resting;
        });
        if (!visible) invisibleFocus.add(await handle.evaluate((el) => el.outerHTML.slice(0, 80)));
        return handle;
      }
      await page.keyboard.press("Tab");
    }
    throw new Error(`keyboard: Tab never reaches ${locator}`);
  }

  return {
    // Controls that had the focus without a visible indicator.
    invisibleFocus,

    // A button or link: click, or Tab to it and press Enter.
    async press(locator) {
      if (!keyboard) return locator.click();
      await tabTo(locator);
      await page.keyboard.press("Enter");
    },

    // A text field, text area or date field (value YYYY-MM-DD).
    async fill(locator, value) {
      if (!keyboard) return locator.fill(value);
      const handle = await tabTo(locator);
      if ((await handle.evaluate((el) => el.type)) === "date") {
        // Typed digit by digit, each part moving on to the next by itself.
        const [y, m, d] = value.split("-");
        const parts = { y, m, d };
        if (!dateOrder) throw new Error("keyboard: learnTypedDateOrder first");
        await page.keyboard.type(dateOrder.map((k) => parts[k]).join(""));
      } else {
        await page.keyboard.press("Control+A");
        await page.keyboard.type(value);
      }
      const got = await locator.inputValue();
      if (got !== value) throw new Error(`keyboard: ${locator} holds "${got}", not "${value}"`);
    },

    // A select list, by option value or { label }: the arrow keys move the
    // choice one option at a time, as a keyboard user does.
    async select(locator, option) {
      if (!keyboard) return locator.selectOption(option);
      // The option's place in the list, once it is there (the options may
      // still be loading, as selectOption waits for them too).
      const list = await locator.elementHandle({ timeout: 15000 });
      const found = await page.waitForFunction(([el, o]) => {
        const i = Array.from(el.options).findIndex((x) => (typeof o === "string" ? x.value === o : x.label === o.label));
        return i >= 0 ? { i } : false; // an object: index 0 is falsy
      }, [list, option], { timeout: 15000 }).catch(() => null);
      const to = found ? (await found.jsonValue()).i : -1;
      const handle = await tabTo(locator);
      const from = await handle.evaluate((el) => el.selectedIndex);
      if (to < 0) throw new Error(`keyboard: ${locator} has no option ${JSON.stringify(option)}`);
      const key = to > from ? "ArrowDown" : "ArrowUp";
      for (let i = 0; i < Math.abs(to - from); i++) await page.keyboard.press(key);
      const now = await handle.evaluate((el) => el.selectedIndex);
      if (now !== to) throw new Error(`keyboard: ${locator} stopped at option ${now}, not ${to}`);
    },
  };
}

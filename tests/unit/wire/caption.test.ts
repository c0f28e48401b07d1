import { describe, expect, it } from "vitest";
import { parseCaption } from "../../../src/wire/wire.parser.js";

describe("parseCaption", () => {
  it("reads an AP Photo credit with a File marker as a file photo", () => {
    expect(
      parseCaption("FILE - Firefighters work at the scene in Oakland, Calif., on Monday, Jan. 8, 2024. (AP Photo/Jane Doe, File)"),
    ).toEqual({
      caption: "FILE - Firefighters work at the scene in Oakland, Calif., on Monday, Jan. 8, 2024. (AP Photo/Jane Doe, File)",
      isFilePhoto: true,
      takenOn: "2024-01-08",
      location: "Oakland, Calif.",
      credit: "AP Photo/Jane Doe",
    });
    const markedOnlyInCredit = parseCaption("Crowds gather in Paris, France, Friday, June 14, 2019. (AP Photo/Name, File)");
    expect(markedOnlyInCredit.isFilePhoto).toBe(true);
    expect(markedOnlyInCredit.credit).toBe("AP Photo/Name");
  });

  it("is not a file photo without a FILE marker, a File credit or the words 'file photo'", () => {
    expect(parseCaption("Crowds gather in Paris, France, Friday, June 14, 2019. (AP Photo/Name)").isFilePhoto).toBe(false);
  });

  it.each([
    ["Jan. 8, 2024", "2024-01-08"],
    ["Feb. 29, 2024", "2024-02-29"],
    ["March 5, 2024", "2024-03-05"],
    ["April 30, 2024", "2024-04-30"],
    ["May 1, 2024", "2024-05-01"],
    ["June 14, 2019", "2019-06-14"],
    ["July 4, 2020", "2020-07-04"],
    ["Aug. 31, 2021", "2021-08-31"],
    ["Sept. 11, 2021", "2021-09-11"],
    ["Sep. 11, 2021", "2021-09-11"],
    ["September 11, 2021", "2021-09-11"],
    ["Oct. 1, 2022", "2022-10-01"],
    ["Nov. 30, 2022", "2022-11-30"],
    ["Dec. 31, 2022", "2022-12-31"],
    ["February 2, 2023", "2023-02-02"],
  ])("reads %j as %s", (date, iso) => {
    expect(parseCaption(`A crowd gathers in Paris, France, ${date}. (AP Photo/Name)`).takenOn).toBe(iso);
  });

  it.each(["Feb. 30, 2024", "Feb. 29, 2023", "April 31, 2024", "Nov. 0, 2024"])("gives no date for the impossible %j", (date) => {
    const parsed = parseCaption(`A crowd gathers in Paris, France, ${date}. (AP Photo/Name)`);
    expect(parsed.takenOn).toBeNull();
    expect(parsed.location).toBe("Paris, France");
  });

  it("gives no date when the weekday contradicts it", () => {
    // March 5, 2024 was a Tuesday.
    expect(parseCaption("A man walks in Kyiv, Ukraine, Monday, March 5, 2024. (AP Photo/Name)").takenOn).toBeNull();
    expect(parseCaption("A man walks in Kyiv, Ukraine, Tuesday, March 5, 2024. (AP Photo/Name)").takenOn).toBe("2024-03-05");
  });

  it("only trusts a date in the first sentence", () => {
    const parsed = parseCaption("A soldier stands guard at the Balad Air Base, Iraq. The base was hit on Jan. 3, 2020.");
    expect(parsed.takenOn).toBeNull();
    expect(parsed.location).toBe("Balad Air Base, Iraq");
  });

  it.each([
    ["a place that does not end the first sentence", "Protesters march in Paris, France, to demand higher wages. (AP Photo/Name)"],
    ["a place without its region", "Protesters march in Paris on Friday, June 14, 2019. (AP Photo/Name)"],
    ["no place phrase at all", "Protesters march, Friday, June 14, 2019. (AP Photo/Name)"],
  ])("gives no location for %s", (_case, caption) => {
    expect(parseCaption(caption).location).toBeNull();
  });

  it("keeps a multi-word place and a capitalised article", () => {
    expect(parseCaption("Judges arrive at the Peace Palace in The Hague, Netherlands, Thursday, Jan. 11, 2024.").location).toBe(
      "The Hague, Netherlands",
    );
    expect(parseCaption("Visitors line up near the Museum of Modern Art, New York, on Sunday.").location).toBe(
      "Museum of Modern Art, New York",
    );
    expect(parseCaption("Rescuers search the rubble in Antakya, southern Turkey, Feb. 8, 2023. (AP Photo/Name)").location).toBe(
      "Antakya, southern Turkey",
    );
    expect(parseCaption("Traders work at the stock exchange in Frankfurt am Main, Germany, on Monday. (AP Photo/Name)").location).toBe(
      "Frankfurt am Main, Germany",
    );
  });

  it("takes no credit from a parenthetical that is not one", () => {
    expect(parseCaption("Two leaders (left and center) meet in Paris, France.").credit).toBeNull();
    expect(parseCaption("Two leaders meet in Paris, France. (Photo by Jane Doe via AP)").credit).toBe("Photo by Jane Doe via AP");
    expect(parseCaption("Two leaders meet in Paris, France. (Reuters/Jane Doe)").credit).toBe("Reuters/Jane Doe");
  });

  it("keeps the caption verbatim", () => {
    const caption = "FILE -  Odd  spacing in Kyiv, Ukraine.  ";
    expect(parseCaption(caption).caption).toBe(caption);
  });
});

"""PURE: English names of the prefectures, by two-digit code."""

PREFECTURE_EN = dict(
    zip(
        [f"{i:02d}" for i in range(1, 48)],
        ["Hokkaido", "Aomori", "Iwate", "Miyagi", "Akita", "Yamagata", "Fukushima", "Ibaraki", "Tochigi", "Gunma", "Saitama", "Chiba", "Tokyo", "Kanagawa", "Niigata", "Toyama", "Ishikawa", "Fukui", "Yamanashi", "Nagano", "Gifu", "Shizuoka", "Aichi", "Mie", "Shiga", "Kyoto", "Osaka", "Hyogo", "Nara", "Wakayama", "Tottori", "Shimane", "Okayama", "Hiroshima", "Yamaguchi", "Tokushima", "Kagawa", "Ehime", "Kochi", "Fukuoka", "Saga", "Nagasaki", "Kumamoto", "Oita", "Miyazaki", "Kagoshima", "Okinawa"],
        strict=True,
    )
)

# Tile-map positions (column, row) for the 47 prefectures, north-east to south-west.
TILE_POSITIONS = {
    "01": (12, 0), "02": (11, 2), "03": (12, 3), "04": (12, 4), "05": (11, 3), "06": (11, 4),
    "07": (12, 5), "08": (12, 6), "09": (11, 6), "10": (10, 6), "11": (11, 7), "12": (12, 7),
    "13": (11, 8), "14": (10, 8), "15": (10, 4), "16": (9, 5), "17": (8, 5), "18": (8, 6),
    "19": (10, 7), "20": (9, 6), "21": (8, 7), "22": (9, 8), "23": (8, 8), "24": (7, 8),
    "25": (7, 7), "26": (6, 7), "27": (6, 8), "28": (5, 7), "29": (7, 9), "30": (6, 9),
    "31": (4, 6), "32": (3, 6), "33": (4, 7), "34": (3, 7), "35": (2, 7), "36": (4, 9),
    "37": (4, 8), "38": (3, 9), "39": (3, 10), "40": (1, 8), "41": (0, 8), "42": (0, 9),
    "43": (1, 9), "44": (2, 8), "45": (2, 10), "46": (1, 10), "47": (0, 12),
}

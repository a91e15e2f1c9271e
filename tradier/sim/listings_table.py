"""The shipped table of well-known symbols: large ETFs and the most traded US stocks.

Columns (pipe-separated): symbol | exchange code (Tradier's: Q Nasdaq, N NYSE, P NYSE Arca,
Z Cboe BZX) | quote type | price level | annual volatility % | beta to the S&P 500 |
dividend yield % | average daily volume in millions | weekly options (Y/N) | name.

Levels are rounded, roughly those of late 2025: enough to make AAPL look like AAPL and
NVDA move like NVDA, not a record of any day. SPY, QQQ, IWM, DIA and VIX are not here:
their specs live in `symbols.SPECS` and are pinned (tests/unit/sim/test_market_pinned.py).
"""

from __future__ import annotations

TABLE = """
VOO|P|etf|535|16|1.0|1.3|6|Y|Vanguard S&P 500 ETF
IVV|P|etf|585|16|1.0|1.3|5|Y|iShares Core S&P 500 ETF
SPLG|P|etf|68|16|1.0|1.3|8|N|SPDR Portfolio S&P 500 ETF
VTI|P|etf|290|17|1.02|1.3|4|Y|Vanguard Total Stock Market ETF
RSP|P|etf|180|17|0.95|1.5|8|N|Invesco S&P 500 Equal Weight ETF
MDY|P|etf|570|21|1.1|1.2|1|N|SPDR S&P MidCap 400 ETF
IJH|P|etf|62|21|1.1|1.3|8|N|iShares Core S&P Mid-Cap ETF
IJR|P|etf|115|24|1.15|1.4|4|N|iShares Core S&P Small-Cap ETF
IWF|P|etf|380|20|1.1|0.5|1|N|iShares Russell 1000 Growth ETF
IWD|P|etf|190|16|0.9|1.8|2|N|iShares Russell 1000 Value ETF
VUG|P|etf|400|20|1.1|0.5|1|N|Vanguard Growth ETF
VTV|P|etf|170|15|0.85|2.3|3|N|Vanguard Value ETF
VIG|P|etf|200|14|0.85|1.7|1|N|Vanguard Dividend Appreciation ETF
SCHD|P|etf|28|14|0.8|3.7|15|N|Schwab US Dividend Equity ETF
VEA|P|etf|52|15|0.8|3.2|12|N|Vanguard FTSE Developed Markets ETF
VWO|P|etf|47|17|0.75|3.0|10|N|Vanguard FTSE Emerging Markets ETF
EFA|P|etf|82|15|0.8|3.0|18|Y|iShares MSCI EAFE ETF
EEM|P|etf|44|18|0.8|2.3|30|Y|iShares MSCI Emerging Markets ETF
FXI|P|etf|32|30|0.7|2.5|40|Y|iShares China Large-Cap ETF
KWEB|P|etf|30|38|0.8|1.0|20|Y|KraneShares CSI China Internet ETF
EWZ|P|etf|28|28|0.8|6.0|25|Y|iShares MSCI Brazil ETF
EWJ|P|etf|70|16|0.7|2.0|7|N|iShares MSCI Japan ETF
INDA|Z|etf|55|16|0.6|0.7|5|N|iShares MSCI India ETF
AGG|P|etf|99|6|0.05|3.6|8|N|iShares Core US Aggregate Bond ETF
BND|Q|etf|73|6|0.05|3.6|7|N|Vanguard Total Bond Market ETF
TLT|Q|etf|90|16|-0.1|4.3|35|Y|iShares 20+ Year Treasury Bond ETF
IEF|Q|etf|95|8|-0.05|3.7|9|Y|iShares 7-10 Year Treasury Bond ETF
SHY|Q|etf|82|2|0.0|4.0|4|N|iShares 1-3 Year Treasury Bond ETF
LQD|P|etf|108|9|0.2|4.4|25|Y|iShares iBoxx Investment Grade Corporate Bond ETF
HYG|P|etf|80|6|0.35|5.7|35|Y|iShares iBoxx High Yield Corporate Bond ETF
JNK|P|etf|96|6|0.35|6.5|5|N|SPDR Bloomberg High Yield Bond ETF
GLD|P|etf|240|15|0.1|0.0|8|Y|SPDR Gold Shares
SLV|P|etf|28|28|0.2|0.0|25|Y|iShares Silver Trust
GDX|P|etf|38|32|0.4|1.2|18|Y|VanEck Gold Miners ETF
GDXJ|P|etf|47|36|0.5|1.0|6|Y|VanEck Junior Gold Miners ETF
USO|P|etf|75|30|0.4|0.0|4|Y|United States Oil Fund
UNG|P|etf|14|50|0.1|0.0|10|Y|United States Natural Gas Fund
XLF|P|etf|48|18|1.05|1.5|40|Y|Financial Select Sector SPDR Fund
XLE|P|etf|90|24|0.8|3.2|18|Y|Energy Select Sector SPDR Fund
XLK|P|etf|230|23|1.2|0.7|6|Y|Technology Select Sector SPDR Fund
XLV|P|etf|145|14|0.7|1.6|8|Y|Health Care Select Sector SPDR Fund
XLI|P|etf|135|17|1.0|1.4|9|Y|Industrial Select Sector SPDR Fund
XLY|P|etf|210|22|1.15|0.8|4|Y|Consumer Discretionary Select Sector SPDR Fund
XLP|P|etf|80|12|0.55|2.6|10|Y|Consumer Staples Select Sector SPDR Fund
XLU|P|etf|78|17|0.5|3.0|12|Y|Utilities Select Sector SPDR Fund
XLB|P|etf|90|19|0.95|1.9|5|N|Materials Select Sector SPDR Fund
XLRE|P|etf|42|20|0.9|3.3|6|N|Real Estate Select Sector SPDR Fund
XLC|P|etf|95|20|1.05|1.0|5|N|Communication Services Select Sector SPDR Fund
SMH|Q|etf|250|35|1.5|0.5|7|Y|VanEck Semiconductor ETF
SOXX|Q|etf|225|36|1.5|0.7|4|Y|iShares Semiconductor ETF
KRE|P|etf|58|28|1.2|2.8|12|Y|SPDR S&P Regional Banking ETF
XBI|P|etf|92|30|1.1|0.1|9|Y|SPDR S&P Biotech ETF
XOP|P|etf|135|30|0.9|2.8|4|Y|SPDR S&P Oil & Gas Exploration & Production ETF
ARKK|P|etf|55|45|1.6|0.0|12|Y|ARK Innovation ETF
TQQQ|Q|etf|75|60|3.7|1.2|60|Y|ProShares UltraPro QQQ
SQQQ|Q|etf|25|60|-3.7|0.0|80|Y|ProShares UltraPro Short QQQ
UPRO|P|etf|85|48|3.0|0.8|4|Y|ProShares UltraPro S&P500
SPXL|P|etf|160|48|3.0|0.8|4|Y|Direxion Daily S&P 500 Bull 3X Shares
TNA|P|etf|40|65|3.4|1.2|15|Y|Direxion Daily Small Cap Bull 3X Shares
SOXL|P|etf|25|100|4.5|0.8|90|Y|Direxion Daily Semiconductor Bull 3X Shares
UVXY|Z|etf|25|90|-4.0|0.0|30|Y|ProShares Ultra VIX Short-Term Futures ETF
VXX|Z|etf|50|65|-3.0|0.0|8|Y|iPath Series B S&P 500 VIX Short-Term Futures ETN
IBIT|Q|etf|55|55|1.3|0.0|45|Y|iShares Bitcoin Trust ETF
BITO|P|etf|20|55|1.3|0.0|10|Y|ProShares Bitcoin Strategy ETF
AAPL|Q|stock|230|26|1.2|0.4|55|Y|Apple Inc
MSFT|Q|stock|420|24|1.1|0.7|20|Y|Microsoft Corp
NVDA|Q|stock|140|50|1.8|0.03|250|Y|NVIDIA Corp
AMZN|Q|stock|200|32|1.3|0.0|40|Y|Amazon.com Inc
GOOGL|Q|stock|170|30|1.1|0.5|28|Y|Alphabet Inc Class A
GOOG|Q|stock|172|30|1.1|0.5|18|Y|Alphabet Inc Class C
META|Q|stock|580|38|1.3|0.3|13|Y|Meta Platforms Inc
TSLA|Q|stock|250|60|2.0|0.0|95|Y|Tesla Inc
AVGO|Q|stock|175|45|1.4|1.2|25|Y|Broadcom Inc
BRK/B|N|stock|460|17|0.85|0.0|4|Y|Berkshire Hathaway Inc Class B
BRK/A|N|stock|690000|17|0.85|0.0|0.002|N|Berkshire Hathaway Inc Class A
BF/B|N|stock|40|30|0.7|2.2|3|N|Brown-Forman Corp Class B
BF/A|N|stock|41|30|0.7|2.2|0.2|N|Brown-Forman Corp Class A
LEN/B|N|stock|160|33|1.3|1.3|0.05|N|Lennar Corp Class B
HEI/A|N|stock|210|27|1.0|0.1|0.3|N|HEICO Corp Class A
MOG/A|N|stock|200|30|1.1|0.6|0.2|N|Moog Inc Class A
JPM|N|stock|220|22|1.1|2.2|9|Y|JPMorgan Chase & Co
V|N|stock|290|20|0.95|0.8|7|Y|Visa Inc Class A
MA|N|stock|500|21|1.05|0.6|3|Y|Mastercard Inc Class A
UNH|N|stock|560|30|0.6|1.5|4|Y|UnitedHealth Group Inc
XOM|N|stock|115|24|0.8|3.3|15|Y|Exxon Mobil Corp
CVX|N|stock|150|24|0.9|4.2|8|Y|Chevron Corp
JNJ|N|stock|155|16|0.5|3.2|7|Y|Johnson & Johnson
PG|N|stock|165|16|0.45|2.4|7|Y|Procter & Gamble Co
HD|N|stock|390|23|1.0|2.3|3.5|Y|Home Depot Inc
LLY|N|stock|850|35|0.5|0.6|3.5|Y|Eli Lilly and Co
ABBV|N|stock|190|24|0.6|3.3|6|Y|AbbVie Inc
MRK|N|stock|100|22|0.4|3.1|10|Y|Merck & Co Inc
PFE|N|stock|26|25|0.6|6.5|40|Y|Pfizer Inc
KO|N|stock|65|15|0.55|3.0|14|Y|Coca-Cola Co
PEP|Q|stock|150|17|0.5|3.6|6|Y|PepsiCo Inc
COST|Q|stock|900|22|0.8|0.5|2|Y|Costco Wholesale Corp
WMT|N|stock|85|20|0.55|1.0|16|Y|Walmart Inc
BAC|N|stock|42|27|1.3|2.5|38|Y|Bank of America Corp
WFC|N|stock|70|29|1.2|2.3|17|Y|Wells Fargo & Co
C|N|stock|68|30|1.4|3.3|15|Y|Citigroup Inc
GS|N|stock|560|28|1.35|2.1|2.5|Y|Goldman Sachs Group Inc
MS|N|stock|125|28|1.35|2.9|7|Y|Morgan Stanley
SCHW|N|stock|75|30|1.0|1.3|9|Y|Charles Schwab Corp
AXP|N|stock|280|26|1.2|1.0|3|Y|American Express Co
BLK|N|stock|1000|24|1.2|2.1|0.6|Y|BlackRock Inc
SPGI|N|stock|500|20|1.05|0.7|1.3|N|S&P Global Inc
CME|Q|stock|230|18|0.45|2.0|2|N|CME Group Inc
ICE|N|stock|160|19|0.9|1.1|3|N|Intercontinental Exchange Inc
PYPL|Q|stock|80|36|1.3|0.0|15|Y|PayPal Holdings Inc
SQ|N|stock|80|48|1.8|0.0|8|Y|Block Inc
COIN|Q|stock|250|75|2.6|0.0|10|Y|Coinbase Global Inc
HOOD|Q|stock|40|70|2.2|0.0|30|Y|Robinhood Markets Inc
SOFI|Q|stock|14|60|1.8|0.0|60|Y|SoFi Technologies Inc
ORCL|N|stock|170|35|1.1|0.9|9|Y|Oracle Corp
CRM|N|stock|290|32|1.2|0.5|6|Y|Salesforce Inc
ADBE|Q|stock|500|32|1.2|0.0|3|Y|Adobe Inc
INTC|Q|stock|22|48|1.1|0.0|70|Y|Intel Corp
AMD|Q|stock|150|50|1.7|0.0|45|Y|Advanced Micro Devices Inc
QCOM|Q|stock|165|36|1.3|2.0|8|Y|Qualcomm Inc
TXN|Q|stock|200|28|1.1|2.7|6|Y|Texas Instruments Inc
MU|Q|stock|100|50|1.6|0.4|22|Y|Micron Technology Inc
AMAT|Q|stock|185|42|1.6|0.8|7|Y|Applied Materials Inc
LRCX|Q|stock|75|44|1.6|1.2|10|Y|Lam Research Corp
KLAC|Q|stock|680|40|1.5|0.9|1.2|Y|KLA Corp
ASML|Q|stock|700|40|1.4|0.9|1.6|Y|ASML Holding NV ADR
TSM|N|stock|190|40|1.3|1.3|15|Y|Taiwan Semiconductor Manufacturing Co ADR
ARM|Q|stock|140|60|2.0|0.0|7|Y|Arm Holdings PLC ADR
SMCI|Q|stock|35|90|2.2|0.0|50|Y|Super Micro Computer Inc
MRVL|Q|stock|90|55|1.7|0.3|15|Y|Marvell Technology Inc
ON|Q|stock|65|48|1.6|0.0|7|Y|ON Semiconductor Corp
CSCO|Q|stock|58|22|0.85|2.8|20|Y|Cisco Systems Inc
IBM|N|stock|220|25|0.75|3.0|4|Y|International Business Machines Corp
ACN|N|stock|360|24|1.05|1.5|2.5|Y|Accenture PLC Class A
NOW|N|stock|950|34|1.2|0.0|1.2|Y|ServiceNow Inc
INTU|Q|stock|640|30|1.2|0.6|1.5|Y|Intuit Inc
SNOW|N|stock|160|55|1.3|0.0|6|Y|Snowflake Inc
PLTR|Q|stock|60|65|2.0|0.0|80|Y|Palantir Technologies Inc Class A
CRWD|Q|stock|340|48|1.3|0.0|3.5|Y|CrowdStrike Holdings Inc Class A
PANW|Q|stock|370|38|1.1|0.0|3|Y|Palo Alto Networks Inc
NET|N|stock|100|55|1.4|0.0|4|Y|Cloudflare Inc Class A
DDOG|Q|stock|130|50|1.3|0.0|4|Y|Datadog Inc Class A
SHOP|Q|stock|100|55|1.8|0.0|10|Y|Shopify Inc Class A
UBER|N|stock|75|40|1.3|0.0|18|Y|Uber Technologies Inc
LYFT|Q|stock|14|55|1.5|0.0|12|Y|Lyft Inc Class A
ABNB|Q|stock|135|40|1.3|0.0|5|Y|Airbnb Inc Class A
DASH|Q|stock|170|42|1.4|0.0|4|Y|DoorDash Inc Class A
NFLX|Q|stock|800|38|1.2|0.0|3.5|Y|Netflix Inc
DIS|N|stock|100|28|1.1|0.9|9|Y|Walt Disney Co
CMCSA|Q|stock|42|24|0.85|3.0|20|Y|Comcast Corp Class A
T|N|stock|22|22|0.5|5.0|35|Y|AT&T Inc
VZ|N|stock|42|19|0.4|6.4|18|Y|Verizon Communications Inc
TMUS|Q|stock|230|22|0.5|1.3|4|Y|T-Mobile US Inc
ROKU|Q|stock|75|55|1.7|0.0|4|Y|Roku Inc Class A
SPOT|N|stock|450|42|1.2|0.0|2|Y|Spotify Technology SA
SNAP|N|stock|11|60|1.4|0.0|30|Y|Snap Inc Class A
PINS|N|stock|30|45|1.2|0.0|10|Y|Pinterest Inc Class A
RBLX|N|stock|55|50|1.5|0.0|9|Y|Roblox Corp Class A
EA|Q|stock|150|25|0.8|0.5|2|N|Electronic Arts Inc
TTWO|Q|stock|180|30|0.9|0.0|2|N|Take-Two Interactive Software Inc
BA|N|stock|160|38|1.3|0.0|9|Y|Boeing Co
CAT|N|stock|380|28|1.15|1.5|3|Y|Caterpillar Inc
DE|N|stock|400|27|1.0|1.5|1.5|Y|Deere & Co
GE|N|stock|180|30|1.2|0.6|6|Y|GE Aerospace
HON|Q|stock|210|20|0.95|2.1|4|Y|Honeywell International Inc
LMT|N|stock|530|20|0.45|2.4|1.2|Y|Lockheed Martin Corp
RTX|N|stock|120|22|0.7|2.1|5|Y|RTX Corp
NOC|N|stock|510|21|0.4|1.6|0.8|N|Northrop Grumman Corp
GD|N|stock|290|20|0.7|2.0|1.2|N|General Dynamics Corp
UPS|N|stock|130|28|0.95|5.0|5|Y|United Parcel Service Inc Class B
FDX|N|stock|280|32|1.1|2.0|2|Y|FedEx Corp
UNP|N|stock|235|22|1.0|2.3|3|Y|Union Pacific Corp
MMM|N|stock|130|26|0.9|2.2|4|Y|3M Co
F|N|stock|11|38|1.5|5.5|55|Y|Ford Motor Co
GM|N|stock|52|35|1.4|0.9|14|Y|General Motors Co
RIVN|Q|stock|12|70|1.9|0.0|35|Y|Rivian Automotive Inc Class A
LCID|Q|stock|3|70|1.8|0.0|60|Y|Lucid Group Inc
NIO|N|stock|5|70|1.8|0.0|60|Y|NIO Inc ADR
BABA|N|stock|95|45|0.9|1.0|20|Y|Alibaba Group Holding Ltd ADR
PDD|Q|stock|120|55|1.0|0.0|9|Y|PDD Holdings Inc ADR
JD|Q|stock|38|45|0.9|2.0|12|Y|JD.com Inc ADR
BIDU|Q|stock|90|45|0.9|0.0|4|Y|Baidu Inc ADR
NKE|N|stock|80|32|1.0|1.9|10|Y|Nike Inc Class B
SBUX|Q|stock|95|28|0.95|2.4|9|Y|Starbucks Corp
MCD|N|stock|295|17|0.65|2.3|3.5|Y|McDonald's Corp
CMG|N|stock|58|35|1.2|0.0|20|Y|Chipotle Mexican Grill Inc
YUM|N|stock|135|18|0.75|2.0|2|N|Yum! Brands Inc
LOW|N|stock|270|24|1.05|1.7|2.5|Y|Lowe's Companies Inc
TGT|N|stock|150|32|0.9|3.0|4|Y|Target Corp
BKNG|Q|stock|4500|28|1.1|0.8|0.3|Y|Booking Holdings Inc
MAR|Q|stock|260|26|1.1|1.0|1.5|N|Marriott International Inc Class A
LULU|Q|stock|300|40|1.2|0.0|2|Y|Lululemon Athletica Inc
TJX|N|stock|118|20|0.8|1.3|5|N|TJX Companies Inc
DG|N|stock|80|40|0.7|3.0|4|Y|Dollar General Corp
DLTR|Q|stock|70|40|0.8|0.0|4|Y|Dollar Tree Inc
EBAY|Q|stock|62|28|1.1|1.8|5|Y|eBay Inc
ETSY|Q|stock|55|50|1.6|0.0|3|Y|Etsy Inc
CVS|N|stock|60|32|0.6|4.4|10|Y|CVS Health Corp
WBA|Q|stock|10|45|0.8|9.0|18|Y|Walgreens Boots Alliance Inc
CI|N|stock|320|27|0.6|1.7|1.5|N|Cigna Group
HUM|N|stock|260|40|0.6|1.3|2|Y|Humana Inc
ELV|N|stock|420|27|0.6|1.6|1.5|N|Elevance Health Inc
TMO|N|stock|560|22|0.85|0.3|1.5|N|Thermo Fisher Scientific Inc
ABT|N|stock|115|20|0.75|2.0|5|Y|Abbott Laboratories
DHR|N|stock|250|24|0.85|0.4|3|N|Danaher Corp
ISRG|Q|stock|500|30|1.1|0.0|1.5|Y|Intuitive Surgical Inc
MDT|N|stock|88|21|0.7|3.2|6|N|Medtronic PLC
AMGN|Q|stock|310|24|0.55|3.0|2.5|Y|Amgen Inc
GILD|Q|stock|90|24|0.45|3.4|7|Y|Gilead Sciences Inc
BMY|N|stock|55|26|0.4|4.5|12|Y|Bristol-Myers Squibb Co
MRNA|Q|stock|45|60|1.0|0.0|10|Y|Moderna Inc
REGN|Q|stock|800|30|0.5|0.0|0.8|N|Regeneron Pharmaceuticals Inc
VRTX|Q|stock|470|25|0.5|0.0|1.3|N|Vertex Pharmaceuticals Inc
NVO|N|stock|110|35|0.6|1.3|6|Y|Novo Nordisk A/S ADR
COP|N|stock|105|28|0.9|3.0|7|Y|ConocoPhillips
OXY|N|stock|50|32|1.0|1.8|12|Y|Occidental Petroleum Corp
SLB|N|stock|42|32|1.0|2.7|12|Y|Schlumberger NV
HAL|N|stock|30|38|1.2|2.3|10|Y|Halliburton Co
DVN|N|stock|38|38|1.2|3.5|10|Y|Devon Energy Corp
EOG|N|stock|125|28|0.9|3.0|3|N|EOG Resources Inc
MPC|N|stock|155|32|1.0|2.2|2.5|N|Marathon Petroleum Corp
PSX|N|stock|130|30|1.0|3.4|3|N|Phillips 66
KMI|N|stock|26|22|0.8|4.5|14|N|Kinder Morgan Inc Class P
NEE|N|stock|75|25|0.6|2.8|10|Y|NextEra Energy Inc
DUK|N|stock|112|16|0.45|3.7|3|N|Duke Energy Corp
SO|N|stock|88|17|0.45|3.3|4|N|Southern Co
D|N|stock|58|20|0.55|4.6|4|N|Dominion Energy Inc
FCX|N|stock|45|42|1.6|1.3|14|Y|Freeport-McMoRan Inc
NEM|N|stock|50|35|0.5|2.0|10|Y|Newmont Corp
AA|N|stock|40|50|1.8|1.0|6|Y|Alcoa Corp
X|N|stock|38|45|1.6|0.5|6|Y|United States Steel Corp
CLF|N|stock|11|55|1.8|0.0|12|Y|Cleveland-Cliffs Inc
DOW|N|stock|50|28|1.0|5.6|6|Y|Dow Inc
LIN|Q|stock|460|18|0.85|1.2|2|N|Linde PLC
BX|N|stock|170|32|1.5|2.2|4|Y|Blackstone Inc
KKR|N|stock|140|36|1.6|0.5|4|Y|KKR & Co Inc
USB|N|stock|48|28|1.1|4.2|8|Y|US Bancorp
PNC|N|stock|190|26|1.1|3.4|2|N|PNC Financial Services Group Inc
TFC|N|stock|43|30|1.2|4.9|8|N|Truist Financial Corp
COF|N|stock|180|32|1.3|1.3|3|Y|Capital One Financial Corp
AIG|N|stock|75|26|1.0|2.1|4|N|American International Group Inc
MET|N|stock|80|26|1.0|2.7|3|N|MetLife Inc
PGR|N|stock|250|22|0.5|0.5|2.5|N|Progressive Corp
CB|N|stock|280|19|0.6|1.3|1.7|N|Chubb Ltd
AMT|N|stock|210|25|0.85|3.1|2|N|American Tower Corp
PLD|N|stock|115|26|1.05|3.4|3.5|N|Prologis Inc
O|N|stock|57|20|0.8|5.5|5|Y|Realty Income Corp
SPG|N|stock|170|24|1.1|4.8|1.5|N|Simon Property Group Inc
EQIX|Q|stock|900|25|0.9|1.9|0.5|N|Equinix Inc
CCI|N|stock|100|26|0.85|6.2|3|N|Crown Castle Inc
MO|N|stock|55|18|0.5|7.3|9|Y|Altria Group Inc
PM|N|stock|125|20|0.55|4.3|5|Y|Philip Morris International Inc
MDLZ|Q|stock|68|18|0.5|2.7|7|N|Mondelez International Inc Class A
KHC|Q|stock|33|22|0.55|4.8|9|Y|Kraft Heinz Co
GIS|N|stock|65|20|0.3|3.6|4|N|General Mills Inc
CL|N|stock|95|17|0.45|2.1|4|N|Colgate-Palmolive Co
KMB|N|stock|135|18|0.4|3.6|2|N|Kimberly-Clark Corp
EL|N|stock|70|45|1.1|2.0|4|Y|Estee Lauder Companies Inc Class A
ADP|Q|stock|290|19|0.8|2.0|1.7|N|Automatic Data Processing Inc
ZM|Q|stock|80|38|1.0|0.0|3|Y|Zoom Communications Inc Class A
DOCU|Q|stock|75|45|1.1|0.0|3|Y|DocuSign Inc
TWLO|N|stock|90|50|1.4|0.0|3|Y|Twilio Inc Class A
U|N|stock|22|70|2.0|0.0|12|Y|Unity Software Inc
AFRM|Q|stock|50|75|2.5|0.0|8|Y|Affirm Holdings Inc Class A
MSTR|Q|stock|350|90|3.0|0.0|20|Y|MicroStrategy Inc Class A
MARA|Q|stock|20|90|2.8|0.0|40|Y|MARA Holdings Inc
RIOT|Q|stock|11|90|2.8|0.0|30|Y|Riot Platforms Inc
GME|N|stock|25|80|1.2|0.0|10|Y|GameStop Corp Class A
AMC|N|stock|4|90|1.5|0.0|20|Y|AMC Entertainment Holdings Inc Class A
DKNG|Q|stock|40|45|1.5|0.0|9|Y|DraftKings Inc Class A
CCL|N|stock|22|45|1.8|0.0|30|Y|Carnival Corp
RCL|N|stock|220|40|1.8|0.8|2.5|Y|Royal Caribbean Cruises Ltd
NCLH|N|stock|25|48|2.0|0.0|12|Y|Norwegian Cruise Line Holdings Ltd
DAL|N|stock|60|38|1.4|1.0|9|Y|Delta Air Lines Inc
UAL|N|stock|80|45|1.6|0.0|8|Y|United Airlines Holdings Inc
AAL|Q|stock|15|45|1.5|0.0|30|Y|American Airlines Group Inc
LUV|N|stock|32|33|1.1|2.2|8|Y|Southwest Airlines Co
PARA|Q|stock|11|42|1.3|1.8|15|Y|Paramount Global Class B
WBD|Q|stock|10|45|1.4|0.0|30|Y|Warner Bros Discovery Inc Series A
CHWY|N|stock|32|50|1.3|0.0|8|Y|Chewy Inc Class A
W|N|stock|45|65|2.0|0.0|4|Y|Wayfair Inc Class A
BBY|N|stock|90|32|1.2|4.2|3|Y|Best Buy Co Inc
DELL|N|stock|130|45|1.3|1.4|8|Y|Dell Technologies Inc Class C
HPQ|N|stock|36|30|1.0|3.1|8|Y|HP Inc
HPE|N|stock|21|35|1.2|2.5|15|Y|Hewlett Packard Enterprise Co
WDC|Q|stock|65|45|1.5|0.0|6|Y|Western Digital Corp
STX|Q|stock|100|38|1.2|2.8|3|N|Seagate Technology Holdings PLC
ANET|N|stock|95|45|1.4|0.0|8|Y|Arista Networks Inc
ADI|Q|stock|225|28|1.2|1.6|3|N|Analog Devices Inc
NXPI|Q|stock|230|34|1.4|1.7|2|N|NXP Semiconductors NV
WOLF|N|stock|8|90|2.0|0.0|10|Y|Wolfspeed Inc
ENPH|Q|stock|70|60|1.5|0.0|5|Y|Enphase Energy Inc
FSLR|Q|stock|200|48|1.4|0.0|3|Y|First Solar Inc
PLUG|Q|stock|2|90|1.9|0.0|50|Y|Plug Power Inc
CHPT|N|stock|1|90|2.0|0.0|20|Y|ChargePoint Holdings Inc
APP|Q|stock|300|70|2.2|0.0|6|Y|AppLovin Corp Class A
TTD|Q|stock|120|55|1.7|0.0|5|Y|Trade Desk Inc Class A
OKTA|Q|stock|80|42|1.1|0.0|3|Y|Okta Inc Class A
ZS|Q|stock|200|45|1.2|0.0|2|Y|Zscaler Inc
MDB|Q|stock|280|55|1.4|0.0|2|Y|MongoDB Inc Class A
TEAM|Q|stock|230|48|1.3|0.0|2|Y|Atlassian Corp Class A
WDAY|Q|stock|260|32|1.1|0.0|2|Y|Workday Inc Class A
ADSK|Q|stock|290|28|1.2|0.0|1.5|N|Autodesk Inc
PATH|N|stock|13|55|1.5|0.0|12|Y|UiPath Inc Class A
IONQ|N|stock|30|100|2.5|0.0|25|Y|IonQ Inc
RKLB|Q|stock|20|85|2.3|0.0|25|Y|Rocket Lab USA Inc
SPCE|N|stock|5|100|2.0|0.0|5|Y|Virgin Galactic Holdings Inc
NU|N|stock|13|45|1.5|0.0|40|Y|Nu Holdings Ltd Class A
MELI|Q|stock|2000|38|1.3|0.0|0.4|Y|MercadoLibre Inc
SE|N|stock|110|48|1.4|0.0|4|Y|Sea Ltd ADR
CPNG|N|stock|24|42|1.2|0.0|10|Y|Coupang Inc Class A
GRAB|Q|stock|5|45|1.1|0.0|30|Y|Grab Holdings Ltd Class A
TME|N|stock|12|45|0.9|1.4|8|Y|Tencent Music Entertainment Group ADR
BILI|Q|stock|22|60|1.0|0.0|6|Y|Bilibili Inc ADR
LI|Q|stock|25|60|1.2|0.0|8|Y|Li Auto Inc ADR
XPEV|N|stock|12|70|1.5|0.0|12|Y|XPeng Inc ADR
VALE|N|stock|11|35|1.0|7.0|30|Y|Vale SA ADR
PBR|N|stock|14|35|1.0|15.0|15|Y|Petroleo Brasileiro SA ADR
ITUB|N|stock|6|32|1.0|4.0|25|Y|Itau Unibanco Holding SA ADR
BP|N|stock|30|26|0.8|6.0|10|Y|BP PLC ADR
SHEL|N|stock|66|23|0.7|4.2|5|N|Shell PLC ADR
TM|N|stock|175|25|0.8|2.5|1.2|N|Toyota Motor Corp ADR
SONY|N|stock|20|30|0.9|0.6|5|N|Sony Group Corp ADR
UL|N|stock|60|17|0.4|3.2|3|N|Unilever PLC ADR
AZN|Q|stock|70|22|0.4|2.1|6|N|AstraZeneca PLC ADR
SAP|N|stock|240|27|1.1|1.0|1.2|N|SAP SE ADR
HSBC|N|stock|45|22|0.7|6.5|2|N|HSBC Holdings PLC ADR
RY|N|stock|125|17|0.8|3.4|1.3|N|Royal Bank of Canada
TD|N|stock|57|19|0.8|5.2|3|N|Toronto-Dominion Bank
ENB|N|stock|42|17|0.6|6.3|4|N|Enbridge Inc
CNQ|N|stock|33|30|1.0|4.5|6|N|Canadian Natural Resources Ltd
"""
